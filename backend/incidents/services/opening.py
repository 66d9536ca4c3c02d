"""Opening an incident: trace the spill, activate the river's approved plan, create each
department's tasks, notify downstream jurisdictions, and suggest a level."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.directory.models import Department
from backend.domain import Unserviceable
from plans.models import ResponsePlan, River, RiverFeature
from plans.tracing import season_of
from plans.tracing import trace as run_trace

from ..models import Incident, PlanActivation, Task
from .adjacent import NOTIFY_DOWNSTREAM, notify_adjacent_areas  # noqa: F401 - NOTIFY_DOWNSTREAM lived here
from .assessment import IMPACT_FIELDS, apply_assessment, assess, receptors_of
from .events import board_rows, lock_incident, record, record_many
from .reporting import create_reporting_deadline

# Short codes go into SMS and are typed back by people on phones: no 0/O, 1/I/L.
SHORT_CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def _new_short_code(length: int = 4) -> str:
    return "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(length))


def _timed_trace(
    location: Point, pollutant, mass_kg: float | None, occurred_at: datetime, now: datetime | None = None
) -> dict | None:
    """The trace with absolute times counted from occurred_at; None when no river is near. The
    interception advice is counted from `now` (a late report has lost the time since the spill),
    in the season of the spill."""
    elapsed = max(((now or occurred_at) - occurred_at).total_seconds() / 60.0, 0.0)
    try:
        result = run_trace(
            location.x,
            location.y,
            pollutant=pollutant,
            mass_kg=mass_kg,
            elapsed_minutes=round(elapsed, 1),
            season=season_of(occurred_at),
        )
    except Unserviceable:
        return None
    for entry in [*result["downstream"], *([result["recommended_space"]] if result["recommended_space"] else [])]:
        entry["arrival_at"] = (occurred_at + timedelta(hours=entry["arrival_hours"])).isoformat()
        entry["front_at"] = (occurred_at + timedelta(hours=max(entry["front_hours"], 0))).isoformat()
    result["occurred_at"] = occurred_at.isoformat()
    return result


def open_incident(
    *,
    title: str,
    kind: str,
    location: Point,
    occurred_at: datetime | None = None,
    pollutant=None,
    mass_kg: float | None = None,
    description: str = "",
    exercise: bool = False,
    actor=None,
    now: datetime | None = None,
    departments=None,
    **impact: int | None,
) -> Incident:
    """Open an incident (see the module docstring). `impact` takes what is known of deaths,
    poisoned, evacuated and direct_loss_yuan. `departments`, when given (a drill's participating
    departments), limits the plan's tasks to them: a department outside the drill gets no task,
    no SMS and no score."""
    unknown = set(impact) - set(IMPACT_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    now = now or timezone.now()
    occurred_at = occurred_at or now
    if occurred_at > now + timedelta(minutes=5):
        raise ValidationError({"occurred_at": [_("An incident cannot occur in the future.")]})
    if mass_kg is not None and mass_kg < 0:
        raise ValidationError({"mass_kg": [_("The mass cannot be negative.")]})
    if mass_kg is not None and pollutant is None:
        raise ValidationError({"pollutant": [_("A mass needs a pollutant.")]})
    # The trace reads only; run it before taking locks.
    traced = _timed_trace(location, pollutant, mass_kg, occurred_at, now) if kind == Incident.Kind.WATER else None
    # Our transaction is the outermost (a request's): nothing else is written in it after the
    # opening, so the board push can be built from what the opening holds (_create).
    own_transaction = not transaction.get_connection().in_atomic_block
    for _attempt in range(20):
        try:
            with transaction.atomic():
                return _create(
                    title=title, kind=kind, location=location, occurred_at=occurred_at, pollutant=pollutant,
                    mass_kg=mass_kg, description=description, exercise=exercise, actor=actor, now=now, **impact,
                    traced=traced, short_code=_new_short_code(4 if _attempt < 10 else 5),
                    departments=None if departments is None else {d.pk for d in departments},
                    own_transaction=own_transaction,
                )  # fmt: skip
        except IntegrityError as exc:
            if "incident_short_code_unique_while_open" not in str(exc):
                raise
    raise RuntimeError("could not allocate a free short code")


def _create(
    *, traced, short_code, actor, now, departments: set[int] | None, own_transaction: bool = False, **fields
) -> Incident:
    river = plan = None
    if traced is not None:
        # The river's approved plan and the river in one read (the plan's ordering joins the
        # river anyway); a river without an approved plan is read alone.
        river_id = traced["river"]["id"]
        plan = (
            ResponsePlan.objects.select_related("river")
            .filter(river_id=river_id, status=ResponsePlan.Status.APPROVED)
            .first()
        )
        river = plan.river if plan is not None else River.objects.defer("geometry").get(pk=river_id)
    # The assessment reads only the record as given (trace, impact), so the row is written once,
    # complete. A row inserted in this transaction is invisible to every other one until the
    # commit, so no writer can race on it: it needs no lock_incident() (which would also re-read it).
    incident = Incident(short_code=short_code, reported_at=now, created_by=actor, river=river, trace=traced, **fields)
    receptors = receptors_of(traced)
    apply_assessment(incident, assess(incident, receptors))
    incident.save(force_insert=True)
    level, reasons = incident.level, incident.level_reasons
    # The opening's events are appended together at the end (one write, one board push, and
    # alerts handle each department's tasks in one pass: one SMS query for all its people),
    # in the order they happened.
    log: list[tuple[str, dict, datetime]] = []
    log.append(
        (
            "opened",
            {
                "title": incident.title,
                "kind": incident.kind,
                "short_code": incident.short_code,
                "location": {"type": "Point", "coordinates": [incident.location.x, incident.location.y]},
                "occurred_at": timezone.localtime(incident.occurred_at).isoformat(),
                "pollutant": incident.pollutant.code if incident.pollutant_id else None,
                "mass_kg": incident.mass_kg,
                "exercise": incident.exercise,
                "river": river.code if river else None,
                "level": level,
                "level_reasons": reasons,
                "potential_level": incident.potential_level,
                "potential_reasons": incident.potential_reasons,
                **{f: getattr(incident, f) for f in IMPACT_FIELDS if getattr(incident, f) is not None},
            },
            now,
        )
    )
    coordinator = Department.objects.filter(is_coordinator=True).first()
    tasks: list[Task] = []
    activations: list[PlanActivation] = []
    if river is not None:
        if plan is not None:
            tasks += _activate(
                incident, plan, actor=actor, now=now, departments=departments, log=log, activations=activations
            )
        tasks += notify_adjacent_areas(
            incident, traced, receptors, actor=actor, now=now, departments=departments, log=log, coordinator=coordinator
        )
    reporting = create_reporting_deadline(
        incident, actor=actor, now=now, departments=departments, log=log, coordinator=coordinator
    )
    if reporting is not None:
        tasks.append(reporting)  # its ReportingDeadline is cached on the incident by the create
    # In its own transaction the opening knows every task of the incident at the commit: the
    # board push after it is built from them instead of being read back; inside a caller's
    # transaction (a drill's start adds injects' work) it is read after the commit as usual.
    record_many(incident, log, actor=actor, board_tasks=board_rows(tasks) if own_transaction else None)
    _keep_written(incident, tasks=tasks, activations=activations)
    return incident


def _keep_written(incident: Incident, *, tasks: list[Task], activations: list[PlanActivation]) -> None:
    """Leave on the returned incident, as `written_at_opening`, what the opening wrote of its
    relations in the shape prefetch_related would read back (tasks in Task.Meta.ordering): a
    new incident has nothing else, and nobody else has seen it before the commit, so the API
    builds its 201 body from these (api.py) instead of reading them back."""
    tasks = sorted(tasks, key=lambda task: (task.order, task.pk))
    incident.written_at_opening = {"tasks": tasks, "activations": activations}


def suggested_level(incident: Incident, receptors: dict[int, RiverFeature] | None = None) -> tuple[int, list[dict]]:
    """The suggested level and its reasons (services/assessment.py has the whole assessment)."""
    assessment = assess(incident, receptors)
    return assessment["suggested_level"], assessment["level_reasons"]


def _activate(
    incident: Incident,
    plan: ResponsePlan,
    *,
    actor,
    now: datetime,
    departments: set[int] | None = None,
    log: list | None = None,
    activations: list | None = None,
) -> list[Task]:
    """Activate the plan and create its tasks; their events go to `log` when given (the
    caller records them), else are recorded together here; the PlanActivation goes to
    `activations` when given."""
    own_log = log is None
    log = [] if own_log else log
    activation = PlanActivation.objects.create(incident=incident, plan=plan, activated_at=now, activated_by=actor)
    if activations is not None:
        activations.append(activation)
    activated = {"plan": plan.pk, "river": plan.river.code, "version": plan.version, "title": plan.title}
    log.append(("plan_activated", activated, now))
    created = [
        _new_task(
            incident,
            department=template.department,
            text=template.text,
            ack_minutes=template.ack_minutes,
            complete_minutes=template.complete_minutes,
            order=template.order,
            source="template",
            template_id=template.pk,
            now=now,
        )
        for template in plan.task_templates.select_related("department").order_by("order", "pk")
        if departments is None or template.department_id in departments
    ]
    Task.objects.bulk_create(created)  # one INSERT for the plan's tasks
    log.extend(("task_created", task_data(task), now) for task in created)
    if own_log:
        record_many(incident, log, actor=actor)
    return created


def create_task(
    incident: Incident,
    *,
    department: Department,
    text: str,
    ack_minutes: int = 10,
    complete_minutes: int | None = None,
    order: int = 100,
    source: str = "manual",
    template_id: int | None = None,
    contact_hint: str = "",
    actor=None,
    now: datetime | None = None,
    log: list | None = None,
) -> Task:
    """Create a department task (the caller holds the incident lock in its transaction). With
    `log`, its task_created event is appended there for the caller to record (record_many)."""
    now = now or timezone.now()
    task = _new_task(
        incident,
        department=department,
        text=text,
        ack_minutes=ack_minutes,
        complete_minutes=complete_minutes,
        order=order,
        source=source,
        template_id=template_id,
        contact_hint=contact_hint,
        now=now,
    )
    task.save(force_insert=True)
    if log is not None:
        log.append(("task_created", task_data(task), now))
    else:
        record(incident, "task_created", task_data(task), actor=actor, at=now)
    return task


def _new_task(
    incident: Incident,
    *,
    department: Department,
    text: str,
    ack_minutes: int,
    complete_minutes: int | None,
    order: int,
    source: str,
    template_id: int | None,
    now: datetime,
    contact_hint: str = "",
) -> Task:
    """A task as create_task makes it, not yet saved."""
    return Task(
        incident=incident,
        department=department,
        text=text,
        order=order,
        source=source,
        template_id=template_id,
        ack_minutes=ack_minutes,
        complete_minutes=complete_minutes,
        created_at=now,
        ack_due=now + timedelta(minutes=ack_minutes),
        due=now + timedelta(minutes=complete_minutes) if complete_minutes else None,
        contact_hint=contact_hint,
    )


def task_data(task: Task) -> dict:
    return {
        "task": task.pk,
        "department": task.department.code,
        "text": task.text,
        "status": task.status,
        "ack_due": timezone.localtime(task.ack_due).isoformat(),
        "due": timezone.localtime(task.due).isoformat() if task.due else None,
        "source": task.source,
    }


@transaction.atomic
def activate_plan(incident: Incident, plan: ResponsePlan, *, actor=None, now: datetime | None = None) -> list[Task]:
    """One-click activation of another river's approved plan that the trace reaches."""
    from backend.domain import DomainRefusal

    incident = lock_incident(incident.pk)
    if plan.status != ResponsePlan.Status.APPROVED:
        raise DomainRefusal(_("Only an approved plan can be activated."), plan=plan.pk)
    if PlanActivation.objects.filter(incident=incident, plan=plan).exists():
        raise DomainRefusal(_("This plan is already active for this incident."), plan=plan.pk)
    if incident.status == Incident.Status.CLOSED:
        raise DomainRefusal(_("The incident is closed."))
    return _activate(incident, plan, actor=actor, now=now or timezone.now())
