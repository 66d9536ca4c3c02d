"""Acknowledgement links: `{PUBLIC_BASE_URL}/a/<key>`. The key is short (a Chinese SMS has 67
characters per part) yet unguessable: 12 characters of a 56-letter alphabet are ~70 bits.

The link is a credential, so no one can read a live one back from the system: a stored body
carries it redacted (`/a/…`, see `REDACTED`), and the sender issues a fresh token for each
message it hands to the provider and writes the live link only into that request. The
database keeps the key's SHA-256, never the key: a leaked dump or admin list cannot
acknowledge. A key is looked up by its hash through the unique index; comparing hashes of
random 70-bit keys leaks nothing a timing attack could use (no one can choose a hash prefix).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings

from ..models import AckToken

# No look-alikes (0/O, 1/l/I): people retype links from one phone to another.
ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
KEY_LENGTH = 12
REDACTED = "/a/…"
# Bodies are fitted into their segments with a link as long as the live one will be.
SIZING_KEY = "x" * KEY_LENGTH


def token_hours() -> float:
    return float(settings.ALERTS_ACK_TOKEN_HOURS)


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def sizing_link() -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/a/{SIZING_KEY}"


def redact(body: str) -> str:
    """A body rendered with `sizing_link()`, as it is stored: the link without its key."""
    return body.replace(f"/a/{SIZING_KEY}", REDACTED)


def live_body(body: str, key: str) -> str:
    """The stored body with the live key in its link (the last one: templates end with it)."""
    head, found, tail = body.rpartition(REDACTED)
    return f"{head}/a/{key}{tail}" if found else body


def _new_key() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(KEY_LENGTH))


def issue(contact, incident, now: datetime) -> tuple[str, AckToken]:
    """A new token for one message; the key is returned to the sender and nowhere stored."""
    return issue_many([(contact.pk, incident.pk)], now)[0]


def issue_many(recipients: list[tuple[int, int]], now: datetime) -> list[tuple[str, AckToken]]:
    """issue() for several messages, each (contact id, incident id), in one INSERT."""
    keys = [_new_key() for _ in recipients]
    expires_at = now + timedelta(hours=token_hours())
    created = AckToken.objects.bulk_create(
        AckToken(
            key_hash=key_hash(key), contact_id=contact, incident_id=incident, created_at=now, expires_at=expires_at
        )
        for key, (contact, incident) in zip(keys, recipients, strict=True)
    )
    return list(zip(keys, created, strict=True))


def find(key: str):
    """The tokens matching a key from a link (a queryset: callers add locking or joins)."""
    if len(key) != KEY_LENGTH or any(ch not in ALPHABET for ch in key):
        return AckToken.objects.none()
    return AckToken.objects.filter(key_hash=key_hash(key))
