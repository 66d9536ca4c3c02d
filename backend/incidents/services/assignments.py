"""Department tasks on the board: acknowledge, start, complete, ask for reassignment, reassign,
add. Each locks the incident (for the event seq) and writes its event."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.domain import DomainRefusal

from ..models import Incident, Task
from .events import actor_label, lock_incident, record
from .opening import create_task, task_data

OPEN = (Task.Status.PENDING, Task.Status.ACKNOWLEDGED, Task.Status.IN_PROGRESS)


def _locked_task(task: Task) -> tuple[Incident, Task]:
    incident = lock_incident(task.incident_id)
    return incident, Task.objects.select_related("department").get(pk=task.pk)


@transaction.atomic
def acknowledge_task(
    task: Task, *, actor=None, actor_name: str = "", via: str = "web", now: datetime | None = None
) -> Task:
    """Idempotent: a second acknowledgement (a double tap, an SMS after the web) changes nothing."""
    now = now or timezone.now()
    incident, task = _locked_task(task)
    if task.acknowledged_at is not None:
        return task
    if task.status not in OPEN:
        raise DomainRefusal(_("This task is %(s)s.") % {"s": task.status}, status=task.status)
    task.status, task.acknowledged_at = Task.Status.ACKNOWLEDGED, now
    task.acknowledged_by = actor_name or actor_label(actor)
    task.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    record(
        incident,
        "task_acknowledged",
        {**task_data(task), "via": via, "late": now > task.ack_due},
        actor=actor,
        actor_name=actor_name,
        at=now,
    )
    return task


@transaction.atomic
def start_task(task: Task, *, actor=None, now: datetime | None = None) -> Task:
    now = now or timezone.now()
    incident, task = _locked_task(task)
    if task.status == Task.Status.IN_PROGRESS:
        return task
    if task.status not in (Task.Status.PENDING, Task.Status.ACKNOWLEDGED):
        raise DomainRefusal(_("This task is %(s)s.") % {"s": task.status}, status=task.status)
    if task.acknowledged_at is None:  # starting implies having seen it
        task.acknowledged_at, task.acknowledged_by = now, actor_label(actor)
    task.status, task.started_at = Task.Status.IN_PROGRESS, now
    task.save(update_fields=["status", "started_at", "acknowledged_at", "acknowledged_by"])
    record(incident, "task_started", task_data(task), actor=actor, at=now)
    return task


@transaction.atomic
def complete_task(task: Task, note: str = "", *, actor=None, now: datetime | None = None) -> Task:
    now = now or timezone.now()
    incident, task = _locked_task(task)
    if task.status == Task.Status.DONE:
        return task
    if task.status not in OPEN:
        raise DomainRefusal(_("This task is %(s)s.") % {"s": task.status}, status=task.status)
    if task.acknowledged_at is None:
        task.acknowledged_at, task.acknowledged_by = now, actor_label(actor)
    task.status, task.completed_at, task.completion_note = Task.Status.DONE, now, (note or "").strip()
    task.save(update_fields=["status", "completed_at", "completion_note", "acknowledged_at", "acknowledged_by"])
    record(
        incident,
        "task_completed",
        {**task_data(task), "note": task.completion_note, "late": bool(task.due and now > task.due)},
        actor=actor,
        at=now,
    )
    return task


@transaction.atomic
def request_reassign(task: Task, reason: str, *, actor=None, now: datetime | None = None) -> Task:
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why another department should take this task.")]})
    incident, task = _locked_task(task)
    if task.status not in OPEN:
        raise DomainRefusal(_("This task is %(s)s.") % {"s": task.status}, status=task.status)
    task.reassign_requested, task.reassign_reason = True, reason.strip()
    task.save(update_fields=["reassign_requested", "reassign_reason"])
    record(
        incident, "task_reassign_requested", {**task_data(task), "reason": task.reassign_reason}, actor=actor, at=now
    )
    return task


@transaction.atomic
def reassign_task(task: Task, department, reason: str = "", *, actor=None, now: datetime | None = None) -> Task:
    """Move a task to another department: its clock restarts there (new ack and due times)."""
    now = now or timezone.now()
    incident, task = _locked_task(task)
    if task.status not in OPEN:
        raise DomainRefusal(_("This task is %(s)s.") % {"s": task.status}, status=task.status)
    if department.pk == task.department_id:
        raise ValidationError({"department": [_("The task is already with this department.")]})
    previous = task.department.code
    task.department = department
    task.status, task.acknowledged_at, task.acknowledged_by, task.started_at = Task.Status.PENDING, None, "", None
    task.reassign_requested, task.reassign_reason = False, ""
    task.created_at = now
    task.ack_due = now + timedelta(minutes=task.ack_minutes)
    task.due = now + timedelta(minutes=task.complete_minutes) if task.complete_minutes else None
    task.save()
    record(
        incident,
        "task_reassigned",
        {**task_data(task), "from": previous, "reason": reason.strip()},
        actor=actor,
        at=now,
    )
    return task


@transaction.atomic
def add_task(
    incident: Incident,
    *,
    department,
    text: str,
    ack_minutes: int = 10,
    complete_minutes: int | None = None,
    source: str = "manual",
    actor=None,
    now: datetime | None = None,
) -> Task:
    if not (text or "").strip():
        raise ValidationError({"text": [_("A task needs text.")]})
    incident = lock_incident(incident.pk)
    if incident.status == Incident.Status.CLOSED:
        raise DomainRefusal(_("The incident is closed; reopen it first."), status=incident.status)
    return create_task(
        incident,
        department=department,
        text=text.strip(),
        ack_minutes=ack_minutes,
        complete_minutes=complete_minutes,
        source=source,
        actor=actor,
        now=now,
    )


def shift_open_deadlines(incident_id: int, by: timedelta) -> int:
    """A drill clock was paused: move the open tasks' deadlines by the paused time so the board
    does not mark them overdue early. Runs in the caller's transaction, whose event (the drill's
    resume) records the pause; returns how many tasks moved."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("call inside the transaction that records the pause")
    lock_incident(incident_id)  # the incident first, then its tasks: the order every task verb uses
    open_tasks = Task.objects.filter(incident_id=incident_id, status__in=OPEN)
    moved = 0
    for task in open_tasks.select_for_update():
        task.ack_due += by
        task.due = task.due + by if task.due else None
        task.save(update_fields=["ack_due", "due"])
        moved += 1
    return moved
