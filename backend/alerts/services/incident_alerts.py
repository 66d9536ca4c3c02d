"""Which incident events become SMS, and to whom (see the issue: "When SMS goes out")."""

from __future__ import annotations

from django.conf import settings

from backend.directory.models import Department
from backend.directory.services import on_duty, on_duty_many
from backend.incidents.models import Incident, Task

from ..models import Notification
from . import escalation
from .acks import pending_tasks
from .compose import LEVEL_NAMES
from .notify import enqueue, enqueue_many

K = Notification.Kind


def handle_event(incident: Incident, event) -> None:
    if not getattr(settings, "SMS_ENABLED", True):
        return
    handler = HANDLERS.get(event.event_type)
    if handler is not None:
        handler(incident, event.data, event.at)


def handle_events(incident: Incident, events: list) -> None:
    """Events appended together, in order: each run of task_created events is handled in one
    pass (_tasks_assigned), the others one by one as handle_event does."""
    if not getattr(settings, "SMS_ENABLED", True):
        return
    run: list = []
    # A handler put in place of ours (a test's) is called per event, as handle_event does.
    batching = HANDLERS.get("task_created") is _task_assigned
    for event in [*events, None]:
        if batching and event is not None and event.event_type == "task_created":
            run.append(event)
            continue
        if run:
            _tasks_assigned(incident, [e.data.get("task") for e in run], run[0].at)
            run = []
        if event is not None:
            handle_event(incident, event)


def _task_assigned(incident: Incident, data: dict, now) -> None:
    _tasks_assigned(incident, [data.get("task")], now)


def _tasks_assigned(incident: Incident, task_ids: list, now) -> None:
    """Opening, plan activation, a task added or reassigned later: the on-duty people of that
    department. Within one transaction (an opening creates many tasks) the items fold into one
    message per person, listing the department's first tasks. Tasks given together are grouped
    by department: one roster query, one batch of messages and one ladder start for each, so
    the queries do not grow with the number of people."""
    if incident.status == Incident.Status.CLOSED:
        return
    tasks = Task.objects.select_related("department").filter(pk__in=[pk for pk in task_ids if pk is not None])
    by_pk = {task.pk: task for task in tasks}
    grouped: dict[int, tuple[Department, list[dict]]] = {}
    for pk in task_ids:  # in the order the tasks were created
        task = by_pk.get(pk)
        if task is not None:
            item = {"kind": "task", "task": task.pk, "line": task.text}
            grouped.setdefault(task.department_id, (task.department, []))[1].append(item)
    if not grouped:
        return
    departments = [department for department, _items in grouped.values()]
    on_duty = on_duty_many(departments, now)
    recipients = [(c, d, items) for d, items in grouped.values() for c in on_duty[d.pk]]
    enqueue_many(incident=incident, kind=K.TASKS, now=now, recipients=recipients)
    escalation.start_many(incident, departments, now)


def _task_reassigned(incident: Incident, data: dict, now) -> None:
    _task_assigned(incident, data, now)
    previous = Department.objects.filter(code=data.get("from")).first()
    if previous is not None and not pending_tasks(previous.pk, incident.pk).exists():
        escalation.stop(incident.pk, previous.pk, now, "reassigned")


def _acknowledged(incident: Incident, data: dict, now) -> None:
    department = Department.objects.filter(code=data.get("department")).first()
    if department is not None and not pending_tasks(department.pk, incident.pk).exists():
        escalation.stop(incident.pk, department.pk, now, "acknowledged")


def _departments_with_tasks(incident: Incident, open_only: bool) -> list[Department]:
    tasks = Task.objects.filter(incident=incident)
    if open_only:
        tasks = tasks.exclude(status__in=[Task.Status.DONE, Task.Status.CANCELLED])
    return list(Department.objects.filter(pk__in=tasks.values("department_id")).order_by("sort_order", "code"))


def _level_changed(incident: Incident, data: dict, now) -> None:
    # Level I is the most serious: "raised" means a smaller number.
    if not (isinstance(data.get("to"), int) and isinstance(data.get("from"), int) and data["to"] < data["from"]):
        return
    item = {"kind": "level", "level": data["to"], "line": f"级别升为{LEVEL_NAMES.get(data['to'], data['to'])}级"}
    departments = _departments_with_tasks(incident, open_only=True)
    on_duty = on_duty_many(departments, now)
    recipients = [(c, d, [item]) for d in departments for c in on_duty[d.pk]]
    enqueue_many(incident=incident, kind=K.LEVEL, now=now, recipients=recipients)


def _closed(incident: Incident, data: dict, now) -> None:
    escalation.stop(incident.pk, None, now, "closed")
    item = {"kind": "closed", "line": "应急响应结束"}
    departments = _departments_with_tasks(incident, open_only=False)
    on_duty = on_duty_many(departments, now)
    recipients = [(c, d, [item]) for d in departments for c in on_duty[d.pk]]
    enqueue_many(incident=incident, kind=K.CLOSED, now=now, recipients=recipients)


def _inject(incident: Incident, data: dict, now) -> None:
    """A drill inject addressed to a department, when the drills app puts the words in the
    event (data: department code and `sms` or `message`)."""
    text = data.get("sms") or data.get("message")
    department = Department.objects.filter(code=data.get("department") or "").first()
    if text and department is not None:
        notify_department(incident, department, text, now=now)


def notify_department(incident: Incident, department: Department, text: str, *, now=None) -> list[Notification]:
    """For apps above (drills): tell a department's on-duty people something about an incident,
    in the caller's transaction (sent after commit, merged like any other item)."""
    from django.utils import timezone

    now = now or timezone.now()
    item = {"kind": "inject", "line": str(text)}
    return [
        enqueue(incident=incident, contact=contact, kind=K.INJECT, item=item, now=now, department=department)
        for contact in on_duty(department, now)
    ]


HANDLERS = {
    "task_created": _task_assigned,
    "task_reassigned": _task_reassigned,
    "task_acknowledged": _acknowledged,
    "task_completed": _acknowledged,
    "level_changed": _level_changed,
    "closed": _closed,
    "inject_delivered": _inject,
}
