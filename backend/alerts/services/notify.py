"""Queue notifications in the caller's transaction, merging storms, and send after commit.

Storm control: all that happens to one person about one incident within SMS_MERGE_SECONDS
goes out as one message. Items added while a message is still queued (the same transaction,
or a message held back by the window) are folded into it; the first message of a quiet
period goes at once, so merging never delays the first alert.
"""

from __future__ import annotations

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
    if not contact.mobile or not contact.active:
        return None
    key = merge_key(contact, incident)
    # One query for both questions: is a message to this person still waiting (merge into
    # it), and when did the last one go (hold the next until the window has passed)?
    latest = Notification.objects.select_for_update().filter(merge_key=key).order_by("-pk").first()
    pending = latest if latest is not None and latest.status == Notification.Status.QUEUED else None
    if pending is not None and kind != Notification.Kind.CLOSED and pending.kind != Notification.Kind.CLOSED:
        if item not in pending.items:
            pending.items.append(item)
            pending.kind = kind if pending.kind == kind else Notification.Kind.UPDATE
            pending.body = render(pending, now)
            pending.save(update_fields=["items", "kind", "body", "ack_link"])
        return pending
    send_after = now
    window = merge_seconds()
    if window and latest is not None and latest.created_at > now - timedelta(seconds=window):
        send_after = max(now, latest.created_at + timedelta(seconds=window))
    notification = Notification(
        incident=incident,
        contact=contact,
        department=department or contact.department,
        kind=kind,
        to=contact.mobile,
        items=[item],
        merge_key=key,
        created_at=now,
        send_after=send_after,
    )
    notification.body = render(notification, now)
    notification.save()
    schedule_after_commit(notification.pk, (send_after - now).total_seconds())
    return notification


def schedule_after_commit(notification_id: int, delay: float = 0.0) -> None:
    from ..tasks import send_notification

    def go():
        if delay > 0:
            send_notification.apply_async((notification_id,), countdown=delay)
        else:
            send_notification.delay(notification_id)

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
