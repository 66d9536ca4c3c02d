"""Queue notifications in the caller's transaction, merging storms, and send after commit.

Storm control: all that happens to one person about one incident within SMS_MERGE_SECONDS
goes out as one message. Items added while a message is still queued (the same transaction,
or a message held back by the window) are folded into it; the first message of a quiet
period goes at once, so merging never delays the first alert.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction

from ..models import Notification
from . import compose, tokens

LINKED_KINDS = {Notification.Kind.TASKS, Notification.Kind.LEVEL, Notification.Kind.UPDATE, Notification.Kind.INJECT}


def merge_seconds() -> int:
    return int(getattr(settings, "SMS_MERGE_SECONDS", 0) or 0)


def merge_key(contact, incident) -> str:
    return f"{contact.pk}:{incident.pk if incident is not None else 0}"


def enqueue(*, incident, contact, kind: str, item: dict, now: datetime, department=None) -> Notification | None:
    """Add one item (a task, a level change ...) for a person; returns the notification that
    will carry it. Must run inside the transaction of the change that caused it."""
    carried = enqueue_many(incident=incident, kind=kind, now=now, recipients=[(contact, department, [item])])
    return carried[0] if carried else None


def enqueue_many(*, incident, kind: str, now: datetime, recipients) -> list:
    """enqueue() for many people at once, each (contact, department or None, items) in order,
    in a number of queries that does not grow with the number of people: one to find and lock
    each person's latest message, one to fold items into those still waiting, one to create
    the others. The same as enqueue() of each item in turn (someone listed twice, e.g. on duty
    for two departments, gets one message). Returns the notifications that carry the items,
    one per recipient with an active mobile."""
    recipients = [(c, d, items) for c, d, items in recipients if c.mobile and c.active and items]
    if not recipients:
        return []
    if kind == Notification.Kind.CLOSED and any(len(items) > 1 for _c, _d, items in recipients):
        raise ValueError("a closing message carries one item")
    keys = {merge_key(contact, incident) for contact, _d, _i in recipients}
    # Is a message to this person still waiting (merge into it), and when did the last one go
    # (hold the next until the window has passed)? The latest row of each key, locked.
    latest_of_key = Notification.objects.filter(merge_key__in=keys).order_by("merge_key", "-pk").distinct("merge_key")
    latest = {
        n.merge_key: n
        for n in Notification.objects.select_for_update().filter(pk__in=latest_of_key.values("pk"))
    }  # fmt: skip
    window = merge_seconds()
    rendered: dict[tuple, tuple[str, bool]] = {}
    carried, merged, created = [], {}, []
    for contact, department, items in recipients:
        key = merge_key(contact, incident)
        previous = latest.get(key)
        pending = previous if previous is not None and previous.status == Notification.Status.QUEUED else None
        if pending is not None and kind != Notification.Kind.CLOSED and pending.kind != Notification.Kind.CLOSED:
            added = [item for item in items if item not in pending.items]
            if added:
                # The merge key names this incident; its department is the one given, or read once.
                pending.incident = incident
                if department is not None and pending.department_id == department.pk:
                    pending.department = department
                for item in added:
                    if item not in pending.items:
                        pending.items.append(item)
                pending.kind = kind if pending.kind == kind else Notification.Kind.UPDATE
                pending.body = _render_once(pending, now, rendered)
                if pending.pk is not None:  # else it is created below, as it is now
                    merged[pending.pk] = pending
            carried.append(pending)
            continue
        send_after = now
        if window and previous is not None and previous.created_at > now - timedelta(seconds=window):
            send_after = max(now, previous.created_at + timedelta(seconds=window))
        notification = Notification(
            incident=incident,
            contact=contact,
            department=department or contact.department,
            kind=kind,
            to=contact.mobile,
            items=[item for n, item in enumerate(items) if item not in items[:n]],
            merge_key=key,
            created_at=now,
            send_after=send_after,
        )
        notification.body = _render_once(notification, now, rendered)
        created.append(notification)
        carried.append(notification)
        latest[key] = notification  # someone listed again merges into it
    if merged:
        Notification.objects.bulk_update(list(merged.values()), ["items", "kind", "body", "ack_link"])
    if created:
        Notification.objects.bulk_create(created)
        delays: dict[float, list[int]] = {}
        for notification in created:
            delays.setdefault((notification.send_after - now).total_seconds(), []).append(notification.pk)
        for delay, ids in delays.items():
            schedule_after_commit(ids, delay)
    return carried


def _render_once(notification: Notification, now: datetime, rendered: dict) -> str:
    """render(), once per department, kind and items within one enqueue_many: the body is the
    same for everyone of a department (it names the department, never the person)."""
    key = (notification.department_id, notification.kind, json.dumps(notification.items, sort_keys=True))
    if key not in rendered:
        rendered[key] = (render(notification, now), notification.ack_link)
    body, notification.ack_link = rendered[key]
    return body


def send_batch_size(count: int) -> int:
    """Notifications per send task: a small alert goes out one per task, in parallel on every
    worker; a large one in batches, so that the task overhead (a broker round trip, the
    task's bookkeeping) is paid once per batch rather than once per message."""
    return max(1, min(int(settings.SMS_SEND_BATCH), -(-count // 8)))


def schedule_after_commit(notification_ids: int | list[int], delay: float = 0.0) -> None:
    """Send after the transaction commits (`delay` seconds later). Several notifications go in
    batches (tasks.send_notifications), each one claimed on its own as it is sent."""
    from ..tasks import send_notification, send_notifications

    ids = [notification_ids] if isinstance(notification_ids, int) else list(notification_ids)
    size = send_batch_size(len(ids))
    batches = [ids[i : i + size] for i in range(0, len(ids), size)]

    def go():
        for batch in batches:
            options = {"countdown": delay} if delay > 0 else {}
            if len(batch) == 1:
                send_notification.apply_async((batch[0],), **options)
            else:
                send_notifications.apply_async((batch,), **options)

    transaction.on_commit(go)


def render(notification: Notification, now: datetime) -> str:
    """The body for what the notification carries (re-rendered when items are merged in), as
    it is stored: an acknowledgement link is redacted, and `ack_link` tells the sender to put a
    live one in (tokens.py). The body is fitted to its segments with a link of the live length."""
    notification.ack_link = False
    return tokens.redact(_render(notification))


def _render(notification: Notification) -> str:
    incident = notification.incident
    kind = notification.kind
    lines = [item["line"] for item in notification.items]
    if kind == Notification.Kind.DIGEST:
        return compose.render("digest", lines=lines, date=notification.items[0].get("date", ""))
    if kind == Notification.Kind.NOTICE:
        return compose.render("notice", lines=lines)
    fields = {
        "exercise": incident.exercise,
        "code": incident.short_code,
        "title": incident.title,
        "department": notification.department.name,
    }
    link = ""
    # Task items mean the department has tasks to acknowledge; other kinds ask the database.
    has_tasks = any(i.get("kind") == "task" for i in notification.items)
    if kind in LINKED_KINDS and (has_tasks or notification.department.tasks.filter(incident=incident).exists()):
        notification.ack_link = True
        link = tokens.sizing_link()
    if kind == Notification.Kind.TASKS:
        where = f"（{incident.river.name}）" if incident.river_id else ""
        template = "tasks" if link else "tasks_noack"
        return compose.render(template, lines=lines, link=link, where=where, **fields)
    if kind == Notification.Kind.LEVEL:
        level = compose.LEVEL_NAMES.get(notification.items[-1].get("level"), "")
        return compose.render("level", lines=[], link=link, level=level, **fields)
    if kind == Notification.Kind.CLOSED:
        return compose.render("closed", lines=[], **fields)
    if kind == Notification.Kind.ESCALATION:
        return compose.render("escalation", lines=lines, **fields)
    return compose.render("update" if link else "update_noack", lines=lines, link=link, **fields)


def notify_departments(codes: list[str], text: str, *, now: datetime | None = None) -> list[Notification]:
    """For apps above with no incident yet (drills: rescheduled, cancelled): one SMS with `text`
    to each on-duty person of the departments, in the caller's transaction, sent after commit."""
    from django.utils import timezone

    from backend.directory.models import Department
    from backend.directory.services import on_duty

    now = now or timezone.now()
    sent = []
    with transaction.atomic():
        for department in Department.objects.filter(code__in=codes):
            for contact in on_duty(department, now):
                notification = enqueue(
                    incident=None,
                    contact=contact,
                    kind=Notification.Kind.NOTICE,
                    item={"kind": "notice", "line": str(text)},
                    now=now,
                    department=department,
                )
                if notification is not None:
                    sent.append(notification)
    return sent
