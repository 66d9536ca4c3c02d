"""Planning a drill: schedule, edit, reschedule, cancel, and its MSEL (injects)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.domain import DomainRefusal
from plans.models import ResponsePlan, TaskTemplate

from ..models import Drill, Inject
from ..notify import notify_participants

DRILL_FIELDS = {
    "title", "form", "scope", "plan", "location", "pollutant", "mass_kg", "narrative", "scheduled_start",
    "duration_minutes", "trainer", "objectives", "live_stock_exercise", "summary",
}  # fmt: skip
M2M_FIELDS = {"departments", "evaluators", "observers"}
INJECT_FIELDS = {
    "number", "offset_minutes", "from_sender", "to_department", "message", "expected_action", "objective",
    "ack_minutes", "complete_minutes",
}  # fmt: skip
# Used when neither the inject nor the plan gives a target (a department without a template).
FALLBACK_ACK_MINUTES = 10
FALLBACK_COMPLETE_MINUTES = 60
NOT_STARTED = (Drill.Status.SCHEDULED,)
UNDER_WAY = (Drill.Status.RUNNING, Drill.Status.PAUSED)


def lock_drill(drill_id: int) -> Drill:
    """The drill's row lock serialises its controller actions and the beat task."""
    return Drill.objects.select_for_update().get(pk=drill_id)


def _check_drill(drill: Drill) -> None:
    errors = {}
    if drill.plan_id and drill.plan.status != ResponsePlan.Status.APPROVED:
        errors["plan"] = [_("A drill exercises an approved plan.")]
    if drill.mass_kg is not None and drill.pollutant_id is None:
        errors["pollutant"] = [_("A mass needs a pollutant.")]
    if not isinstance(drill.objectives, list) or not all(isinstance(o, str) for o in drill.objectives):
        errors["objectives"] = [_("Objectives are a list of texts.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def schedule_drill(*, actor=None, now: datetime | None = None, **fields) -> Drill:
    now = now or timezone.now()
    unknown = set(fields) - DRILL_FIELDS - M2M_FIELDS
    if unknown:
        raise ValueError(f"unknown drill fields: {sorted(unknown)}")
    m2m = {name: fields.pop(name) for name in M2M_FIELDS if name in fields}
    fields.setdefault("trainer", actor)
    drill = Drill(created_by=actor if actor is not None and actor.is_authenticated else None, **fields)
    _check_drill(drill)
    drill.full_clean(validate_constraints=False)
    drill.save()
    for name, values in m2m.items():
        getattr(drill, name).set(values)
    return drill


@transaction.atomic
def update_drill(drill: Drill, *, actor=None, now: datetime | None = None, **fields) -> Drill:
    """Edit a drill's plan and scenario before it starts; the people and texts at any time."""
    now = now or timezone.now()
    drill = lock_drill(drill.pk)
    unknown = set(fields) - DRILL_FIELDS - M2M_FIELDS
    if unknown:
        raise ValueError(f"unknown drill fields: {sorted(unknown)}")
    frozen = {"plan", "location", "pollutant", "mass_kg", "scheduled_start"} & set(fields)
    if frozen and drill.status not in NOT_STARTED:
        raise DomainRefusal(
            _("The scenario and the start cannot change once the drill has started."), status=drill.status
        )
    if "scheduled_start" in fields and fields["scheduled_start"] != drill.scheduled_start:
        reschedule_drill(drill, fields.pop("scheduled_start"), actor=actor, now=now)
        drill.refresh_from_db()
    m2m = {name: fields.pop(name) for name in M2M_FIELDS if name in fields}
    for name, value in fields.items():
        setattr(drill, name, value)
    _check_drill(drill)
    drill.full_clean(validate_constraints=False)
    drill.save()
    for name, values in m2m.items():
        getattr(drill, name).set(values)
    return drill


@transaction.atomic
def reschedule_drill(drill: Drill, scheduled_start: datetime, *, actor=None, now: datetime | None = None) -> Drill:
    now = now or timezone.now()
    drill = lock_drill(drill.pk)
    if drill.status not in NOT_STARTED:
        raise DomainRefusal(_("Only a drill that has not started can be rescheduled."), status=drill.status)
    previous = drill.scheduled_start
    drill.scheduled_start = scheduled_start
    drill.save(update_fields=["scheduled_start", "updated_at"])
    _redate_injects(drill)
    when = timezone.localtime(scheduled_start).strftime("%Y-%m-%d %H:%M")
    before = timezone.localtime(previous).strftime("%Y-%m-%d %H:%M")
    notify_participants(drill, "rescheduled", f"演练“{drill.title}”改期：{before} → {when}", now=now)
    return drill


@transaction.atomic
def cancel_drill(drill: Drill, reason: str = "", *, actor=None, now: datetime | None = None) -> Drill:
    now = now or timezone.now()
    drill = lock_drill(drill.pk)
    if drill.status not in NOT_STARTED:
        raise DomainRefusal(_("Only a drill that has not started can be cancelled."), status=drill.status)
    drill.status = Drill.Status.CANCELLED
    drill.save(update_fields=["status", "updated_at"])
    suffix = f"（{reason.strip()}）" if reason.strip() else ""
    notify_participants(drill, "cancelled", f"演练“{drill.title}”已取消{suffix}", now=now)
    return drill


@transaction.atomic
def delete_drill(drill: Drill) -> None:
    """A drill that never ran may be deleted; one that ran stays in the record."""
    drill = lock_drill(drill.pk)
    if drill.incident_id is not None:
        raise DomainRefusal(_("A drill that ran stays in the record."), status=drill.status)
    drill.delete()


def _redate_injects(drill: Drill) -> None:
    """Pending injects fall due at the drill clock's anchor plus their offset."""
    anchor = drill.clock_anchor()
    for inject in drill.injects.filter(delivered_at__isnull=True, skipped=False):
        inject.due_at = anchor + timedelta(minutes=inject.offset_minutes)
        inject.save(update_fields=["due_at"])


def inject_targets(inject: Inject) -> tuple[int, int]:
    """The inject's own targets, else the plan's task template for that department, else defaults."""
    template = (
        TaskTemplate.objects.filter(plan_id=inject.drill.plan_id, department_id=inject.to_department_id)
        .order_by("order", "pk")
        .first()
    )
    ack = inject.ack_minutes or (template.ack_minutes if template else FALLBACK_ACK_MINUTES)
    done = inject.complete_minutes or (template.complete_minutes if template else FALLBACK_COMPLETE_MINUTES)
    return ack, max(done, ack)


def _check_inject(inject: Inject) -> None:
    errors = {}
    if inject.offset_minutes is None or inject.offset_minutes < 0:
        errors["offset_minutes"] = [_("The offset is zero or more minutes from the start.")]
    if not (inject.message or "").strip():
        errors["message"] = [_("An inject needs a message.")]
    if not (inject.from_sender or "").strip():
        errors["from_sender"] = [_("Say who the message is from (the simulated sender).")]
    if inject.ack_minutes is not None and inject.ack_minutes < 1:
        errors["ack_minutes"] = [_("At least one minute.")]
    if inject.ack_minutes and inject.complete_minutes and inject.complete_minutes < inject.ack_minutes:
        errors["complete_minutes"] = [_("Completion cannot be due before acknowledgement.")]
    if (inject.objective or "").strip():
        # Chosen from the drill's list (stored as the list's own text), so the report counts it:
        # a retyped variant would leave the objective "not assessed".
        canonical = matching_objective(inject.drill, inject.objective)
        if canonical is None:
            errors["objective"] = [_("Choose one of the drill's objectives.")]
        else:
            inject.objective = canonical
    if errors:
        raise ValidationError(errors)


def same_objective(a: str, b: str) -> bool:
    return " ".join((a or "").split()).casefold() == " ".join((b or "").split()).casefold()


def matching_objective(drill: Drill, text: str) -> str | None:
    """The drill's objective `text` names (spaces and case aside), or None."""
    return next((o for o in drill.objectives or [] if same_objective(o, text)), None)


def next_number(drill: Drill) -> int:
    return (drill.injects.aggregate(m=Max("number"))["m"] or 0) + 1


@transaction.atomic
def save_inject(drill: Drill, *, inject: Inject | None = None, **fields) -> Inject:
    """Create or edit an inject that has not been delivered (the MSEL table editor)."""
    unknown = set(fields) - INJECT_FIELDS
    if unknown:
        raise ValueError(f"unknown inject fields: {sorted(unknown)}")
    drill = lock_drill(drill.pk)
    if drill.status not in (*NOT_STARTED, *UNDER_WAY):
        raise DomainRefusal(_("The drill is %(s)s; its event list is final.") % {"s": drill.status})
    if inject is not None:
        inject = Inject.objects.select_for_update().get(pk=inject.pk, drill=drill)
        if not inject.pending:
            raise DomainRefusal(_("A delivered or skipped inject cannot change."), inject=inject.pk)
    inject = inject or Inject(drill=drill)
    for name, value in fields.items():
        setattr(inject, name, value)
    if inject.number is None:
        inject.number = next_number(drill)
    elif drill.injects.filter(number=inject.number).exclude(pk=inject.pk).exists():
        raise ValidationError({"number": [_("Number %(n)s is already used in this drill.") % {"n": inject.number}]})
    _check_inject(inject)
    inject.due_at = drill.clock_anchor() + timedelta(minutes=inject.offset_minutes)
    inject.save()
    return inject


@transaction.atomic
def delete_inject(inject: Inject) -> None:
    lock_drill(inject.drill_id)
    inject = Inject.objects.select_for_update().get(pk=inject.pk)
    if not inject.pending:
        raise DomainRefusal(_("A delivered or skipped inject stays in the record."), inject=inject.pk)
    inject.delete()
