"""Acknowledgement links: `{PUBLIC_BASE_URL}/a/<key>`. The key is short (a Chinese SMS has 67
characters per part) yet unguessable: 12 characters of a 56-letter alphabet are ~70 bits."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.conf import settings

from ..models import AckToken

# No look-alikes (0/O, 1/l/I): people retype links from one phone to another.
ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ"
KEY_LENGTH = 12


def token_hours() -> float:
    return float(settings.ALERTS_ACK_TOKEN_HOURS)


def link_for(token: AckToken) -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/a/{token.key}"


def token_for(contact, incident, now: datetime, lookup: bool = True) -> AckToken:
    """The contact's live token for this incident, or a new one: every SMS of one incident
    carries the same link until it is used or expires. `lookup=False` when the caller knows
    there is none (the first message to this person about this incident)."""
    live = None
    if lookup:
        live = AckToken.objects.filter(contact=contact, incident=incident, used_at__isnull=True, expires_at__gt=now)
        live = live.order_by("-expires_at").first()
    if live is not None:
        return live
    return AckToken.objects.create(
        key="".join(secrets.choice(ALPHABET) for _ in range(KEY_LENGTH)),
        contact=contact,
        incident=incident,
        created_at=now,
        expires_at=now + timedelta(hours=token_hours()),
    )
