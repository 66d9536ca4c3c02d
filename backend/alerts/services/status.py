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
from django.db import connection, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from backend.directory import services as directory
from backend.incidents.services.lifecycle import append_events

from ..models import Notification
from ..providers.twilio import PERMANENT_CODES
from .events import ACTOR, sms_event_data

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


def _advance(notification: Notification, status: str, error_code: str, error_message: str, now: datetime):
    """The forward-only rule on one notification in memory: the fields it changed, or None."""
    if notification.status in FINAL or RANK[status] <= RANK.get(notification.status, 0):
        return None
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
    return fields


def _write(notifications: list[Notification], fields: tuple[str, ...]) -> None:
    """Notification.objects.bulk_update(notifications, fields) as one UPDATE ... FROM (VALUES ...).
    bulk_update builds a CASE WHEN per row and field in Python: in a burst of callbacks that was
    half of the applier thread's time (backend/alerts/status_webhook.py), more than the database's."""
    meta = Notification._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    row = "(" + ", ".join(["%s"] * (len(columns) + 1)) + ")"
    params: list = []
    for notification in notifications:
        params.append(notification.pk)
        params.extend(column.get_db_prep_save(getattr(notification, column.attname), connection) for column in columns)
    names = ", ".join(quote(f"v_{column.column}") for column in columns)
    # The VALUES list carries untyped literals: each is cast to its column's type.
    sets = ", ".join(
        f"{quote(column.column)} = v.{quote(f'v_{column.column}')}::{column.db_type(connection)}" for column in columns
    )
    table, pk = quote(meta.db_table), meta.pk
    sql = (
        f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([row] * len(notifications))}) AS v(v_id, {names}) "
        f"WHERE {table}.{quote(pk.column)} = v.v_id::{pk.rel_db_type(connection)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@transaction.atomic
def apply_statuses(callbacks: list[dict]) -> list[Notification | None | type[Notification.DoesNotExist]]:
    """Apply a batch of callbacks ({"sid", "status", "error_code", "error_message", "now"}) in
    one transaction, in their order. Per callback: the notification when its status changed,
    None when nothing changed, Notification.DoesNotExist for a sid not (yet) on a notification.

    Why a batch: each applied change is an sms_status event under its incident's row lock; one
    at a time, a thousand callbacks of one alert queued on that lock (about 65/s). Here the
    notifications are locked once (in primary-key order, as every batch does, so two server
    processes never deadlock), and each incident is locked once for all of its events, which
    get consecutive seqs in one write: the event log stays gapless and statuses still only move
    forward (the rule is applied to each callback in turn, on the locked rows)."""
    wanted = []
    for callback in callbacks:
        status = (callback.get("status") or "").lower()
        wanted.append(status if callback.get("sid") and status in RANK else None)
    sids = {c["sid"] for c, status in zip(callbacks, wanted, strict=True) if status}
    rows = Notification.objects.select_for_update().select_related("contact", "department").order_by("pk")
    by_sid = {n.provider_sid: n for n in rows.filter(provider_sid__in=sids)} if sids else {}
    results: list = []
    changed: dict[int, tuple[Notification, set[str]]] = {}
    events: dict[int, list[tuple[str, dict, datetime]]] = {}
    for callback, status in zip(callbacks, wanted, strict=True):
        if status is None:
            results.append(None)
            continue
        notification = by_sid.get(callback["sid"])
        if notification is None:
            results.append(Notification.DoesNotExist)
            continue
        now = callback.get("now") or timezone.now()
        previous = notification.status
        fields = _advance(notification, status, callback.get("error_code", ""), callback.get("error_message", ""), now)
        if fields is None:
            results.append(None)
            continue
        changed.setdefault(notification.pk, (notification, set()))[1].update(fields)
        if notification.incident_id is not None:
            events.setdefault(notification.incident_id, []).append(
                ("sms_status", sms_event_data(notification, status, previous=previous), now)
            )
        results.append(notification)
    # One UPDATE per set of changed fields (a burst of `delivered` is one set), not one per row.
    by_fields: dict[tuple[str, ...], list[Notification]] = {}
    for notification, fields in changed.values():
        by_fields.setdefault(tuple(sorted(fields)), []).append(notification)
    for fields, notifications in by_fields.items():
        _write(notifications, fields)
    for incident_id in sorted(events):  # one lock order for every batch
        append_events(incident_id, events[incident_id], actor_name=ACTOR)
    return results


def apply_status(
    sid: str, status: str, *, error_code: str = "", error_message: str = "", now: datetime | None = None
) -> Notification | None:
    """Apply one callback. Returns the notification when its status changed, else None; raises
    Notification.DoesNotExist for a sid we never got back from the provider (yet)."""
    callback = {"sid": sid, "status": status, "error_code": error_code, "error_message": error_message, "now": now}
    result = apply_statuses([callback])[0]
    if result is Notification.DoesNotExist:
        raise Notification.DoesNotExist(sid)
    return result


def apply_callbacks(callbacks: list[dict]) -> list:
    """What a batch of Twilio's status callbacks does: apply_statuses, then each callback for a
    sid not (yet) on a notification is kept as an orphan. It overtook the worker that is still
    saving the sid (or it is not ours), and Twilio does not retry status callbacks; the sending
    code applies it when it stores the sid. Applying the kept ones here as well closes the race in
    which the sid was stored between the batch's look-up and keeping the orphan (applying twice
    changes nothing). Returns apply_statuses' results. Not one transaction: the batch commits
    first, and running the whole again after a failure changes nothing already applied."""
    results = apply_statuses(callbacks)
    for callback, result in zip(callbacks, results, strict=True):
        if result is Notification.DoesNotExist:
            fields = {"error_code": callback.get("error_code", ""), "error_message": callback.get("error_message", "")}
            if keep_orphan(callback["sid"], callback["status"], **fields, now=callback.get("now")):
                apply_orphans(callback["sid"])
    return results


ORPHAN_TTL_SECONDS = 600


def orphan_key(sid: str, status: str) -> str:
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
    cache.set(orphan_key(sid, status), value, ORPHAN_TTL_SECONDS)
    log.info("status %s for unknown sid %s kept for %s s", status, sid, ORPHAN_TTL_SECONDS)
    return True


def apply_orphans(sid: str) -> list[Notification]:
    """Apply the kept statuses of this sid, lowest rank first, through apply_status (forward
    only, one event per change), then forget them. Called once the sid is stored; returns
    the notifications as changed by each applied status."""
    if not sid:
        return []
    keys = {orphan_key(sid, status): status for status in RANK}
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
