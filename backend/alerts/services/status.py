"""Twilio's status callbacks: statuses move forward only, and the final ones never change.

Callbacks arrive out of order (a `sent` after `delivered` is common), so each status has a
rank and only a higher rank is applied; each applied change is an sms_status event.

A callback can also overtake the worker that is still storing the message's sid. Twilio does
not retry status callbacks, so such a status is kept as an "orphan" (in the cache, keyed by sid,
for ORPHAN_TTL_SECONDS) and applied when the sending code stores the sid (apply_orphans).
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from backend.directory import services as directory

from ..models import Notification
from ..providers.twilio import PERMANENT_CODES
from .events import sms_event

log = logging.getLogger(__name__)
S = Notification.Status
RANK = {
    "queued": 0,
    "accepted": 0,
    "scheduled": 0,
    "unknown": 0,
    "sending": 1,
    "sent": 2,
    "delivered": 3,
    "undelivered": 3,
    "failed": 3,
}
FINAL = {S.DELIVERED, S.UNDELIVERED, S.FAILED}


@transaction.atomic
def apply_status(
    sid: str, status: str, *, error_code: str = "", error_message: str = "", now: datetime | None = None
) -> Notification | None:
    """Apply one callback. Returns the notification when its status changed, else None; raises
    Notification.DoesNotExist for a sid we never got back from the provider (yet)."""
    now = now or timezone.now()
    status = (status or "").lower()
    if not sid or status not in RANK:
        return None
    notification = Notification.objects.select_for_update().select_related("contact", "department")
    notification = notification.filter(provider_sid=sid).first()
    if notification is None:
        raise Notification.DoesNotExist(sid)
    if notification.status in FINAL:
        return None
    if RANK[status] <= RANK.get(notification.status, 0):
        return None
    previous = notification.status
    notification.status, notification.status_at = status, now
    fields = ["status", "status_at"]
    if status == S.DELIVERED:
        notification.delivered_at = now
        fields.append("delivered_at")
    if status in (S.UNDELIVERED, S.FAILED):
        notification.failed_at = now
        notification.error_code = str(error_code or "")[:16]
        notification.error_message = (error_message or f"provider reported {status}")[:300]
        fields += ["failed_at", "error_code", "error_message"]
        if str(error_code).isdigit() and int(error_code) in PERMANENT_CODES:
            directory.mark_number_bad(notification.contact, f"{error_code}: {notification.error_message}")
    notification.save(update_fields=fields)
    sms_event(notification, status, previous=previous, now=now)
    return notification


ORPHAN_TTL_SECONDS = 600


def _orphan_key(sid: str, status: str) -> str:
    # One key per (sid, status): two callbacks for one sid arriving at once never overwrite
    # each other, and each status still gets its own event when applied.
    return f"alerts:orphan-status:{sid}:{status}"


def keep_orphan(
    sid: str, status: str, *, error_code: str = "", error_message: str = "", now: datetime | None = None
) -> bool:
    """Keep a callback whose sid is not (yet) on any notification. False when there is nothing
    worth keeping (no sid, or a status we do not track)."""
    status = (status or "").lower()
    if not sid or status not in RANK:
        return False
    now = now or timezone.now()
    value = {"error_code": str(error_code or ""), "error_message": error_message or "", "at": now.isoformat()}
    cache.set(_orphan_key(sid, status), value, ORPHAN_TTL_SECONDS)
    log.info("status %s for unknown sid %s kept for %s s", status, sid, ORPHAN_TTL_SECONDS)
    return True


def apply_orphans(sid: str) -> list[Notification]:
    """Apply the kept statuses of this sid, lowest rank first, through apply_status (forward
    only, one event per change), then forget them. Called once the sid is stored; returns
    the notifications as changed by each applied status."""
    if not sid:
        return []
    keys = {_orphan_key(sid, status): status for status in RANK}
    kept = cache.get_many(list(keys))
    if not kept:
        return []
    applied = []
    try:
        for key in sorted(kept, key=lambda k: RANK[keys[k]]):
            value = kept[key]
            changed = apply_status(
                sid,
                keys[key],
                error_code=value.get("error_code", ""),
                error_message=value.get("error_message", ""),
                # When the provider reported it (delivered_at, the event's time), not now.
                now=parse_datetime(value.get("at") or "") or timezone.now(),
            )
            if changed is not None:
                applied.append(changed)
    except Notification.DoesNotExist:
        return applied  # not stored after all: keep them for a later call (or their expiry)
    cache.delete_many(list(kept))
    return applied
