"""Handing a notification to the provider, exactly once.

The row is claimed in the database (queued → sending, a conditional UPDATE) before the
provider is called, so a duplicated or retried Celery task finds nothing to claim. A worker
killed between the claim and the provider's answer leaves `sending`; that becomes `unknown` (it
may or may not have gone out, and Twilio has no idempotency key) for a person to resend from the
board, rather than resending silently: at once when Celery redelivers the task (acks_late) and
the claim is older than the provider's HTTP timeout, else by the beat sweep after
SMS_SENDING_TIMEOUT_SECONDS. A batch task claims a few rows together (send_many) and has them at
the provider at once, so a worker lost mid-send leaves each of that group's unanswered claims so.
"""

from __future__ import annotations

import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import BigIntegerField, Case, CharField, F, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.directory import services as directory
from backend.directory.models import Contact

from ..models import AckToken, Notification
from ..providers import TransportError, get_provider
from ..providers.twilio import PERMANENT_CODES, http_timeout_seconds
from . import status, tokens
from .events import sms_event

log = logging.getLogger(__name__)
S = Notification.Status


def max_attempts() -> int:
    return int(settings.SMS_MAX_ATTEMPTS)


def backoff_seconds(attempt: int) -> float:
    """Exponential: base, 2×base, 4×base ... capped (attempt counts from 1)."""
    base = float(settings.SMS_RETRY_BASE_SECONDS)
    return min(base * 2 ** max(attempt - 1, 0), float(settings.SMS_RETRY_MAX_SECONDS))


def sending_timeout() -> timedelta:
    return timedelta(seconds=float(settings.SMS_SENDING_TIMEOUT_SECONDS))


def abandoned_after() -> timedelta:
    """A claim older than this without the provider's answer cannot still be waiting for it:
    the request would have timed out. A margin covers the claim-to-request time."""
    return timedelta(seconds=http_timeout_seconds() + 5)


def status_callback_url() -> str:
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}/twilio/status/"


@dataclass
class Outcome:
    result: str  # skipped | not_due | sent | retry | failed | unknown
    retry_in: float = 0.0


def claim(notification_id: int, now: datetime, rows=None) -> bool:
    """Atomically take a queued, due notification; False when someone else has (or it is done).
    `rows` narrows the notifications that may be taken (send: not to a bad number)."""
    rows = Notification.objects.all() if rows is None else rows
    taken = rows.filter(pk=notification_id, status=S.QUEUED, send_after__lte=now).update(
        status=S.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    return taken == 1


def send(notification_id: int, now: datetime | None = None) -> Outcome:
    """Claim and send one notification. The caller (a Celery task) has taken a rate token."""
    now = now or timezone.now()
    # The common case first, in two queries: a queued, due message to a good number is claimed
    # at once, then read. Only when that claim fails is the row read to tell why.
    claimed = Notification.objects.filter(pk=notification_id).exclude(contact__number_status=Contact.NumberStatus.BAD)
    if claim(notification_id, now, claimed):
        return _hand_over(notification_id, now)
    notification = Notification.objects.select_related("contact").filter(pk=notification_id).first()
    if notification is not None and notification.status == S.SENDING and not notification.provider_sid:
        # Claimed, never answered, and the task came again: Celery redelivered it (acks_late)
        # because the worker died. Past the provider's timeout nobody is still waiting for the
        # answer, so say `unknown` now rather than after the sweep's timeout. A younger claim may
        # be another worker's send in progress: leave it.
        if notification.claimed_at and notification.claimed_at < now - abandoned_after():
            if mark_unknown(notification_id, now, reason="the task came again: its worker was lost"):
                return Outcome("unknown")
        return Outcome("skipped")
    if notification is None or notification.status != S.QUEUED:
        return Outcome("skipped")
    if notification.send_after > now:
        return Outcome("not_due", (notification.send_after - now).total_seconds())
    if notification.contact.number_status == Contact.NumberStatus.BAD:
        if claim(notification_id, now):
            _fail(notification_id, "number", notification.contact.number_error or "number marked bad", now)
        return Outcome("failed")
    if not claim(notification_id, now):
        return Outcome("skipped")
    return _hand_over(notification_id, now)


def _hand_over(notification_id: int, now: datetime) -> Outcome:
    """Send a notification this worker has claimed."""
    # Read after the claim: items merged in up to the claim are in the body we send.
    notification = Notification.objects.select_related("contact", "incident").get(pk=notification_id)
    try:
        sid = get_provider().send(notification.to, _live_body(notification, now), status_callback_url())
    except TransportError as exc:
        return _refused(notification, exc, now)
    _accepted(notification, sid, now)
    return Outcome("sent")


def _live_body(notification: Notification, now: datetime) -> str:
    """The words for the provider: the stored body with a live acknowledgement link, its token
    issued now for this message alone (a retry after a transient error issues another; the
    earlier one may have reached the phone, so it stays valid). The key lives only in this
    request: the body stays redacted."""
    if not notification.ack_link or not notification.incident_id:
        return notification.body
    key, token = tokens.issue(notification.contact, notification.incident, now)
    Notification.objects.filter(pk=notification.pk).update(ack_token=token)
    return tokens.live_body(notification.body, key)


def _accepted(notification: Notification, sid: str, now: datetime) -> None:
    """Store the provider's sid at once (its callbacks are matched by it). No event here:
    the provider's own callbacks (sent, delivered ...) are the statuses the timeline shows,
    and keeping the incident's row lock out of the send path lets a 200-person alert reach
    the provider as fast as the rate limit allows. A status callback may have overtaken us:
    it was kept by sid and applies now (_accepted_many)."""
    _accepted_many([(notification, sid)], now)


def _refused(notification: Notification, exc: TransportError, now: datetime) -> Outcome:
    log.warning("SMS %s to %s refused: %s (%s)", notification.pk, notification.to, exc.message, exc.code)
    if exc.permanent:
        with transaction.atomic():
            _fail(notification.pk, exc.code, exc.message, now)
            if exc.code.isdigit() and int(exc.code) in PERMANENT_CODES:
                directory.mark_number_bad(notification.contact, f"{exc.code}: {exc.message}")
        return Outcome("failed")
    if notification.attempts >= max_attempts():
        _fail(notification.pk, exc.code, f"gave up after {notification.attempts} attempts: {exc.message}", now)
        return Outcome("failed")
    delay = backoff_seconds(notification.attempts)
    # Back to the queue with a due time: the task re-queues itself, and the beat sweep picks
    # it up too should that message be lost.
    Notification.objects.filter(pk=notification.pk, status=S.SENDING).update(
        status=S.QUEUED,
        send_after=now + timedelta(seconds=delay),
        error_code=exc.code[:16],
        error_message=exc.message[:300],
        status_at=now,
    )
    return Outcome("retry", delay)


def in_flight() -> int:
    """How many messages one batch task claims together and has at the provider at once."""
    return max(1, int(settings.SMS_SEND_CONCURRENCY))


def send_many(notification_ids: list[int], now: datetime | None = None) -> dict[int, Outcome]:
    """send() for a few notifications at once (at most in_flight(); the caller has taken a rate
    token for each): claimed together in one transaction, their requests made concurrently, the
    provider's answers stored in one UPDATE. The database round trips are paid once per group,
    and the requests' network waits overlap. Every message is still claimed before its request,
    so a redelivered batch skips what went out; a worker lost mid-send leaves the group's
    unanswered claims `sending`, then `unknown`: all of them were at the provider at once."""
    now = now or timezone.now()
    group = _claim_group(notification_ids, now)
    outcomes: dict[int, Outcome] = {}
    # Not claimable in one go (not queued, not due, a bad number, locked by another claim):
    # the single path says why, as before (rare: a redelivered batch, a merge in progress).
    claimed = {notification.pk for notification, _body in group}
    for notification_id in notification_ids:
        if notification_id not in claimed and notification_id not in outcomes:
            outcomes[notification_id] = send(notification_id, now)
    if not group:
        return outcomes
    provider = get_provider()  # built here: the threads share it, and its pooled connections
    callback = status_callback_url()

    def request(claimed: tuple[Notification, str]) -> str | Exception:
        notification, body = claimed
        try:
            return provider.send(notification.to, body, callback)
        except Exception as exc:  # told apart below, in the calling thread
            return exc

    answers = [request(group[0])] if len(group) == 1 else list(_requests_pool().map(request, group))
    accepted, unexpected = [], None
    for (notification, _body), answer in zip(group, answers, strict=True):
        if isinstance(answer, str):
            accepted.append((notification, answer))
        elif isinstance(answer, TransportError):
            outcomes[notification.pk] = _refused(notification, answer, now)
        else:
            unexpected = unexpected or answer  # its claim stays `sending`: the sweep says `unknown`
    _accepted_many(accepted, now)
    outcomes.update({notification.pk: Outcome("sent") for notification, _sid in accepted})
    if unexpected is not None:
        raise unexpected
    return outcomes


def _claim_group(notification_ids: list[int], now: datetime) -> list[tuple[Notification, str]]:
    """claim() for several notifications in one transaction, each with the words for the
    provider (_live_body: a token issued now, its key in memory only). Rows another transaction
    holds are skipped, not waited for; a bad number is left to the single path, which fails it."""
    with transaction.atomic():
        notifications = list(
            Notification.objects.select_for_update(of=("self",), skip_locked=True)
            .filter(pk__in=notification_ids, status=S.QUEUED, send_after__lte=now)
            .exclude(contact__number_status=Contact.NumberStatus.BAD)
            .order_by("pk")
        )
        if not notifications:
            return []
        linked = [n for n in notifications if n.ack_link and n.incident_id]
        issued = tokens.issue_many([(n.contact_id, n.incident_id) for n in linked], now)
        bodies = {n.pk: n.body for n in notifications}
        for notification, (key, token) in zip(linked, issued, strict=True):
            notification.ack_token = token
            bodies[notification.pk] = tokens.live_body(notification.body, key)
        # The same claim for all; only the token differs (one CASE, not one per field).
        claim = {"status": S.SENDING, "claimed_at": now, "attempts": F("attempts") + 1}
        if linked:
            tokens_of = {n.pk: n.ack_token_id for n in linked}
            claim["ack_token"] = _case(tokens_of, BigIntegerField(), default=F("ack_token"))
        Notification.objects.filter(pk__in=bodies).update(**claim)
    for notification in notifications:
        notification.status, notification.claimed_at = S.SENDING, now
        notification.attempts += 1
    return [(notification, bodies[notification.pk]) for notification in notifications]


def _accepted_many(accepted: list[tuple[Notification, str]], now: datetime) -> None:
    """_accepted() for several answers: one UPDATE, one look for early callbacks."""
    if not accepted:
        return
    # `unknown` too: the sweep may have given up on a very slow answer that did come.
    Notification.objects.filter(pk__in=[n.pk for n, _sid in accepted], status__in=[S.SENDING, S.UNKNOWN]).update(
        status=S.ACCEPTED,
        provider_sid=_case({n.pk: sid for n, sid in accepted}, CharField()),
        sent_at=now,
        status_at=now,
        error_code="",
        error_message="",
    )
    for notification, sid in accepted:
        log.info("SMS %s to %s accepted as %s", notification.pk, notification.to, sid)
    try:
        for sid in _sids_with_orphans([sid for _notification, sid in accepted]):
            status.apply_orphans(sid)
    except Exception:  # the sends themselves succeeded; the next callbacks still move the status
        log.exception("could not apply early status callbacks for %s messages", len(accepted))


def _case(values: dict[int, object], output_field, default=None) -> Case:
    """A value per notification in one UPDATE: CASE WHEN id = ... THEN ... END."""
    whens = (When(pk=pk, then=Value(value)) for pk, value in values.items())
    return Case(*whens, default=default, output_field=output_field)


def _sids_with_orphans(sids: list[str]) -> set[str]:
    """The sids that have a status callback kept (it overtook us): one cache read for the group
    rather than one per message (status.apply_orphans reads them again, for these only)."""
    keys = {status.orphan_key(sid, name): sid for sid in sids for name in status.RANK}
    return {keys[key] for key in cache.get_many(list(keys))}


_pool: tuple[int, int, ThreadPoolExecutor] | None = None


def _requests_pool() -> ThreadPoolExecutor:
    """The threads that wait for the provider's answers: HTTP only, never the database (Django's
    connections are per thread). One pool per process (a Celery worker forks its children)."""
    global _pool
    size = in_flight()
    if _pool is None or _pool[:2] != (os.getpid(), size):
        _pool = (os.getpid(), size, ThreadPoolExecutor(max_workers=size, thread_name_prefix="sms-send"))
    return _pool[2]


@transaction.atomic
def _fail(notification_id: int, code: str, message: str, now: datetime) -> None:
    notification = Notification.objects.select_for_update().get(pk=notification_id)
    previous = notification.status
    notification.status, notification.failed_at, notification.status_at = S.FAILED, now, now
    notification.error_code, notification.error_message = str(code)[:16], message[:300]
    notification.save(update_fields=["status", "failed_at", "status_at", "error_code", "error_message"])
    sms_event(notification, S.FAILED, previous=previous, now=now)


def sweep_stale(now: datetime | None = None) -> int:
    """Claimed long ago and never answered: the worker died. Mark `unknown`, never resend."""
    now = now or timezone.now()
    count = 0
    # provider_sid="": claimed but never answered. A message the provider took may also be in
    # `sending` (Twilio's own status from a callback): that one is merely slow, not lost.
    stale = Notification.objects.filter(status=S.SENDING, provider_sid="", claimed_at__lt=now - sending_timeout())
    for pk in stale.values_list("pk", flat=True):
        count += mark_unknown(pk, now)
    return count


@transaction.atomic
def mark_unknown(notification_id: int, now: datetime, reason: str = "worker lost") -> bool:
    """A claim the provider never answered: `unknown`, with its event. False when the row is no
    longer such a claim (answered meanwhile) or someone else is marking it."""
    notification = Notification.objects.select_for_update(skip_locked=True)
    notification = notification.filter(pk=notification_id, status=S.SENDING, provider_sid="").first()
    if notification is None:
        return False
    notification.status, notification.status_at = S.UNKNOWN, now
    notification.error_message = f"no answer from the provider ({reason}); check and resend"[:300]
    notification.save(update_fields=["status", "status_at", "error_message"])
    sms_event(notification, S.UNKNOWN, previous=S.SENDING, now=now)
    log.warning("SMS %s to %s: %s", notification.pk, notification.to, notification.error_message)
    return True


def due_ids(now: datetime | None = None, grace_seconds: float = 20) -> list[int]:
    """Queued notifications whose time has come and whose Celery message seems lost."""
    now = now or timezone.now()
    return list(
        Notification.objects.filter(status=S.QUEUED, send_after__lte=now - timedelta(seconds=grace_seconds))
        .order_by("send_after")
        .values_list("pk", flat=True)[:500]
    )


@transaction.atomic
def resend(notification: Notification, *, actor=None, now: datetime | None = None) -> Notification:
    """A person decided to send again (unknown, failed, undelivered): a new row, same words."""
    from backend.domain import DomainRefusal

    from .notify import schedule_after_commit

    now = now or timezone.now()
    # The row as it is now, locked: two officers pressing resend at once send once.
    notification = Notification.objects.select_for_update().get(pk=notification.pk)
    if notification.resends.exists():
        raise DomainRefusal(_("This message has already been resent."), resent=notification.resends.first().pk)
    if notification.status not in (S.UNKNOWN, S.FAILED, S.UNDELIVERED):
        raise DomainRefusal(
            _("Only an unknown, failed or undelivered message can be resent."), status=notification.status
        )
    contact = Contact.objects.get(pk=notification.contact_id)
    if contact.number_status == Contact.NumberStatus.BAD and contact.mobile == notification.to:
        raise DomainRefusal(
            _("The provider refused this number; correct it in the directory first."), status="bad_number"
        )
    # The copy gets its own link when it goes out; the original's stops working, so only the
    # newest message about this can acknowledge (the old one may sit on a lost or shared phone).
    AckToken.objects.filter(pk=notification.ack_token_id, used_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=now
    )
    copy = Notification.objects.create(
        incident_id=notification.incident_id,
        contact=contact,
        department_id=notification.department_id,
        kind=notification.kind,
        to=contact.mobile,
        body=notification.body,
        items=notification.items,
        merge_key="",  # a deliberate resend is never merged into or held back
        ack_link=notification.ack_link,
        resend_of=notification,
        created_at=now,
        send_after=now,
    )
    sms_event(copy, S.QUEUED, previous="", now=now, actor=actor, resend_of=notification.pk)
    schedule_after_commit(copy.pk)
    return copy
