"""Celery tasks: thin, take ids, call services. Beat entries (settings.CELERY_BEAT_SCHEDULE):
alerts.escalate_due (ALERTS_ESCALATE_SECONDS), alerts.sweep (ALERTS_SWEEP_SECONDS: lost sends, stale
claims). Each task sets both time limits (backend/checks.py)."""

from __future__ import annotations

import logging
import time

from celery import shared_task
from django.conf import settings

from . import ratelimit
from .services import escalation, sending

log = logging.getLogger(__name__)


# Sent at priority 3 (CELERY_TASK_ROUTES in settings): see the note there.
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


# A batch budget: past it, the rest goes back to the queue as a new task, so a batch to a slow
# provider (each request may take SMS_HTTP_TIMEOUT_SECONDS) never nears the time limits.
BATCH_SECONDS = 30.0


# The same guarantees as send_notification, per message: each is claimed before it is sent (a
# redelivered batch skips what went out) and takes its own rate token; a batch lost with its
# worker leaves its messages `queued` (re-sent by the sweep) or, for those in flight, `sending`
# (then `unknown`). The messages go in groups of sending.in_flight(), claimed together and sent
# concurrently (sending.send_many). Priority 3 like the single sends (CELERY_TASK_ROUTES).
@shared_task(name="alerts.send_notifications", time_limit=90, soft_time_limit=75, acks_late=True, ignore_result=True)
def send_notifications(notification_ids: list[int]) -> dict:
    began = time.monotonic()
    results: dict[str, int] = {}
    rest = list(notification_ids)
    while rest:
        if time.monotonic() - began > BATCH_SECONDS:
            send_notifications.apply_async((rest,))
            results["deferred"] = len(rest)
            break
        # The group's tokens before its claim: the first may wait for one, the others only join
        # when a token is free at once (a rate-limited group never holds claims while waiting).
        group = []
        while len(group) < min(sending.in_flight(), len(rest)) and ratelimit.acquire(max_wait=0 if group else 20):
            group.append(rest[len(group)])
        if group:
            for notification_id, outcome in sending.send_many(group).items():
                if outcome.result in ("retry", "not_due"):
                    send_notification.apply_async((notification_id,), countdown=max(outcome.retry_in, 0.5))
                results[outcome.result] = results.get(outcome.result, 0) + 1
            rest = rest[len(group) :]
        else:
            send_notifications.apply_async((rest,), countdown=1)
            results["throttled"] = len(rest)
            break
    return results


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
