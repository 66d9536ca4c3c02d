"""Silence escalates: per department, ordered steps (wait N minutes without acknowledgement,
then notify the next contacts, finally the bureau's duty leader), evaluated by a beat task.

Due times live in the database (Escalation.next_at) and the beat task claims due rows with
select_for_update(skip_locked=True): two beat runs or workers never take the same step twice,
and nothing depends on far-future Celery ETAs (docs/operations.md, "Traps").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from backend.directory.models import Contact, Department
from backend.directory.services import on_duty
from backend.incidents.models import Incident
from backend.incidents.services import append_event

from ..models import Escalation, EscalationPolicy, EscalationStep, Notification
from .acks import pending_tasks
from .notify import enqueue

T = EscalationStep.Target


@dataclass
class Step:
    wait_minutes: int
    target: str
    contacts: list[Contact]


# Without a configured policy: after 10 minutes the department's other contacts, after 10 more
# the bureau's duty leader.
DEFAULT_STEPS = [(10, T.NEXT_CONTACTS), (10, T.DUTY_LEADER)]


def ladder_minutes(minutes: float) -> timedelta:
    """A ladder's wait as a duration. ESCALATION_MINUTE_SECONDS is 60 in service; the tests of
    the running system (real beat, real clock) shorten it."""
    return timedelta(seconds=minutes * settings.ESCALATION_MINUTE_SECONDS)


def default_ladder() -> tuple[list[Step], bool]:
    return [Step(wait, target, []) for wait, target in DEFAULT_STEPS], False


def steps_for(department: Department) -> tuple[list[Step], bool]:
    policy = EscalationPolicy.objects.filter(department=department).first()
    if policy is None:
        return default_ladder()
    if not policy.active:
        return [], False
    steps = [Step(s.wait_minutes, s.target, list(s.contacts.all())) for s in policy.steps.all()]
    return steps, policy.repeat_last


def duty_leader(now: datetime) -> list[Contact]:
    """The coordinator's duty leader: its contacts whose duty role says leader (领导), on shift
    first; failing that, whoever the coordinator has on duty."""
    coordinator = Department.objects.filter(is_coordinator=True).first()
    if coordinator is None:
        return []
    leaders = Contact.objects.filter(department=coordinator, active=True).filter(
        Q(duty_role__contains="领导") | Q(duty_role__icontains="leader")
    )
    rostered = list(leaders.filter(shifts__start__lte=now, shifts__end__gt=now).distinct().order_by("priority", "pk"))
    if rostered:
        return rostered[:1]
    first = leaders.order_by("priority", "pk").first()
    return [first] if first else on_duty(coordinator, now)[:1]


def start(incident: Incident, department: Department, now: datetime) -> None:
    """A department was alerted about tasks: (re)start its ladder from the first step."""
    steps, _repeat = steps_for(department)
    if not steps:
        return
    next_at = now + ladder_minutes(steps[0].wait_minutes)
    # No get_or_create: its savepoint costs two more queries, and the caller holds the
    # incident's lock, so no one else starts this incident's ladders meanwhile.
    escalation = Escalation.objects.select_for_update().filter(incident=incident, department=department).first()
    if escalation is None:
        Escalation.objects.create(incident=incident, department=department, started_at=now, next_at=next_at)
    elif escalation.stopped_at is not None:
        escalation.started_at, escalation.steps_done, escalation.next_at = now, 0, next_at
        escalation.stopped_at, escalation.stop_reason = None, ""
        escalation.save()


def start_many(incident: Incident, departments: list[Department], now: datetime) -> None:
    """start() for several departments in a few queries (an opening alerts them all)."""
    ids = [department.pk for department in departments]
    policies = {p.department_id: p for p in EscalationPolicy.objects.filter(department_id__in=ids)}
    department_of = {policy.pk: department_id for department_id, policy in policies.items()}
    first_waits: dict[int, int] = {}  # department id → its ladder's first wait (steps_for()[0])
    steps = EscalationStep.objects.filter(policy__in=[p for p in policies.values() if p.active])
    for step in steps.order_by("policy", "order", "pk"):
        first_waits.setdefault(department_of[step.policy_id], step.wait_minutes)
    due: dict[int, datetime] = {}
    for pk in ids:
        policy = policies.get(pk)
        wait = DEFAULT_STEPS[0][0] if policy is None else first_waits.get(pk) if policy.active else None
        if wait is not None:
            due[pk] = now + ladder_minutes(wait)
    if not due:
        return
    # The caller holds the incident's lock: no one else starts this incident's ladders meanwhile.
    existing = Escalation.objects.select_for_update().filter(incident=incident, department_id__in=list(due))
    found = {escalation.department_id: escalation for escalation in existing}
    for pk, escalation in found.items():
        if escalation.stopped_at is not None:
            escalation.started_at, escalation.steps_done, escalation.next_at = now, 0, due[pk]
            escalation.stopped_at, escalation.stop_reason = None, ""
            escalation.save()
    Escalation.objects.bulk_create(
        [Escalation(incident=incident, department_id=pk, started_at=now, next_at=at) for pk, at in due.items()
         if pk not in found]
    )  # fmt: skip


def _wait_for(steps: list[Step], repeat: bool, index: int) -> int | None:
    """Minutes from step `index - 1` (or the start) to step `index`; None when there is none."""
    if index < len(steps):
        return steps[index].wait_minutes
    return steps[-1].wait_minutes if repeat and steps else None


def reschedule(department: Department, old_steps: list[Step], old_repeat: bool, now: datetime) -> int:
    """A department's ladder changed: move each escalation under way to the new ladder's due
    time for its next step, counted from its previous step as before (so a wait shortened
    from 10 to 3 minutes takes effect at once, not after the old 10). One whose ladder is now
    shorter than the steps it has taken ends. Returns how many were touched."""
    steps, repeat = steps_for(department)
    touched = 0
    running = Escalation.objects.select_for_update().filter(
        department=department, stopped_at__isnull=True, next_at__isnull=False
    )
    for escalation in running:
        old_wait = _wait_for(old_steps, old_repeat, escalation.steps_done)
        if old_wait is None or not steps:
            continue  # an inactive ladder ends the escalation when it is due (_take_step)
        new_wait = _wait_for(steps, repeat, escalation.steps_done)
        if new_wait is None:
            escalation.next_at, escalation.stopped_at, escalation.stop_reason = None, now, "exhausted"
        else:
            previous_step_at = escalation.next_at - ladder_minutes(old_wait)
            escalation.next_at = previous_step_at + ladder_minutes(new_wait)
        escalation.save(update_fields=["next_at", "stopped_at", "stop_reason"])
        touched += 1
    return touched


def stop(incident_id: int, department_id: int | None, now: datetime, reason: str) -> int:
    query = Escalation.objects.filter(incident_id=incident_id, stopped_at__isnull=True)
    if department_id is not None:
        query = query.filter(department_id=department_id)
    return query.update(stopped_at=now, stop_reason=reason, next_at=None)


def _recipients(escalation: Escalation, step: Step, now: datetime) -> list[Contact]:
    if step.target == T.DUTY_LEADER:
        return duty_leader(now)
    if step.target == T.CONTACTS:
        return [c for c in step.contacts if c.active]
    alerted = Notification.objects.filter(incident=escalation.incident, department=escalation.department)
    alerted = set(alerted.values_list("contact_id", flat=True))
    others = Contact.objects.filter(department=escalation.department, active=True).exclude(pk__in=alerted)
    others = list(others.order_by("priority", "pk"))
    # The next rank of the ladder: everyone of the best priority not yet alerted.
    return [c for c in others if c.priority == others[0].priority] if others else []


def escalate_due(now: datetime | None = None, limit: int = 100) -> int:
    """Take every due step; returns how many steps were taken."""
    now = now or timezone.now()
    taken = 0
    while taken < limit:
        with transaction.atomic():
            escalation = (
                Escalation.objects.select_for_update(skip_locked=True)
                .filter(stopped_at__isnull=True, next_at__lte=now)
                .order_by("next_at")
                .first()
            )
            if escalation is None:
                return taken
            _take_step(escalation, now)
            taken += 1
    return taken


def _take_step(escalation: Escalation, now: datetime) -> None:
    incident = Incident.objects.get(pk=escalation.incident_id)
    department = Department.objects.get(pk=escalation.department_id)
    tasks = list(pending_tasks(department.pk, incident.pk))
    if incident.status == Incident.Status.CLOSED or not tasks:
        escalation.stopped_at, escalation.next_at = now, None
        escalation.stop_reason = "closed" if incident.status == Incident.Status.CLOSED else "acknowledged"
        escalation.save(update_fields=["stopped_at", "next_at", "stop_reason"])
        return
    steps, repeat = steps_for(department)
    if not steps:
        stop(incident.pk, department.pk, now, "no_policy")
        return
    index = min(escalation.steps_done, len(steps) - 1)
    step = steps[index]
    waited = int((now - escalation.started_at) / ladder_minutes(1))
    recipients = _recipients(escalation, step, now)
    for contact in recipients:
        if step.target == T.DUTY_LEADER or contact.department_id != department.pk:
            item = {
                "kind": "escalation",
                "department": department.code,
                "department_name": department.name,
                "minutes": waited,
                # One line per department: merged escalations to the leader stay readable.
                "line": f"{department.name}{len(tasks)}项任务{waited}分钟未确认（{tasks[0].text[:12]}）",
            }
            enqueue(incident=incident, contact=contact, kind=Notification.Kind.ESCALATION, item=item, now=now)
        else:
            for task in tasks[:3]:
                item = {"kind": "task", "task": task.pk, "line": task.text}
                enqueue(incident=incident, contact=contact, kind=Notification.Kind.TASKS, item=item, now=now)
    append_event(
        incident.pk,
        "escalated",
        {
            "department": department.code,
            "step": index + 1,
            "target": step.target,
            "waited_minutes": waited,
            "contacts": [{"id": c.pk, "name": c.name, "department": c.department.code} for c in recipients],
            "tasks": [t.pk for t in tasks],
        },
        actor_name="短信平台",
        at=now,
    )
    escalation.steps_done += 1
    if escalation.steps_done < len(steps):
        escalation.next_at = now + ladder_minutes(steps[escalation.steps_done].wait_minutes)
    elif repeat:
        escalation.next_at = now + ladder_minutes(steps[-1].wait_minutes)
    else:
        escalation.next_at, escalation.stopped_at, escalation.stop_reason = None, now, "exhausted"
    escalation.save(update_fields=["steps_done", "next_at", "stopped_at", "stop_reason"])
