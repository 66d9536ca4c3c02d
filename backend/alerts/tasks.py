"""Celery tasks: thin, take ids, call services. Beat entries (settings.CELERY_BEAT_SCHEDULE):
alerts.escalate_due (ALERTS_ESCALATE_SECONDS), alerts.sweep (ALERTS_SWEEP_SECONDS: lost sends, stale
claims). Each task sets both time limits (backend/checks.py)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from . import ratelimit
from .services import escalation, sending

log = logging.getLogger(__name__)


@shared_task(name="alerts.send_notification", time_limit=90, soft_time_limit=75, acks_late=True)
def send_notification(notification_id: int) -> str:
    # Take a token of the shared rate limit before claiming, so a claimed row spends as little
    # time as possible in `sending` (the window in which a lost worker leaves `unknown`).
    if not ratelimit.acquire(max_wait=20):
        send_notification.apply_async((notification_id,), countdown=1)
        return "throttled"
    outcome = sending.send(notification_id)
    if outcome.result in ("retry", "not_due"):
        send_notification.apply_async((notification_id,), countdown=max(outcome.retry_in, 0.5))
    return outcome.result


@shared_task(name="alerts.sweep", time_limit=60, soft_time_limit=50)
def sweep() -> dict:
    """Mark stale claims `unknown`; re-queue due notifications whose Celery message was lost
    (a duplicate is harmless: the claim lets only one through)."""
    unknown = sending.sweep_stale()
    due = sending.due_ids(grace_seconds=settings.SMS_REQUEUE_GRACE_SECONDS)
    for notification_id in due:
        send_notification.delay(notification_id)
    return {"unknown": unknown, "requeued": len(due)}


@shared_task(name="alerts.escalate_due", time_limit=60, soft_time_limit=50)
def escalate_due() -> int:
    return escalation.escalate_due()
