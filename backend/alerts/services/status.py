"""Twilio's status callbacks: statuses move forward only, and the final ones never change.

Callbacks arrive out of order (a `sent` after `delivered` is common), so each status has a
rank and only a higher rank is applied; each applied change is an sms_status event.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from backend.directory import services as directory

from ..models import Notification
from ..providers.twilio import PERMANENT_CODES
from .events import sms_event

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
