"""一策: versioned response plans. Only drafts change; approving supersedes the previous plan."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.domain import DomainRefusal

from ..models import Measure, ResponsePlan, River, RiverFeature, TaskTemplate
from .deleting import delete_or_refuse

PLAN_FIELDS = {"title", "summary"}
TASK_FIELDS = {"plan", "department", "text", "order", "ack_minutes", "complete_minutes"}
MEASURE_FIELDS = {"plan", "space", "category", "action", "order"}


def _refuse_unless_draft(plan: ResponsePlan) -> None:
    # Read the status under a row lock: the caller's instance may be stale, and an approval
    # running concurrently must not slip an edit into an approved plan.
    if plan.pk:
        plan.status = ResponsePlan.objects.select_for_update().values_list("status", flat=True).get(pk=plan.pk)
    if plan.status != ResponsePlan.Status.DRAFT:
        raise DomainRefusal(
            _("Only a draft plan can be changed; start a new version instead."), plan=plan.pk, status=plan.status
        )


def _next_version(river: River) -> int:
    # Lock the river row so two concurrent new versions cannot take the same number.
    River.objects.select_for_update().filter(pk=river.pk).first()
    return (river.plans.aggregate(top=Max("version"))["top"] or 0) + 1


@transaction.atomic
def create_plan(*, river: River, title: str = "", summary: str = "", user=None) -> ResponsePlan:
    title = title or _("%(river)s emergency response plan") % {"river": river.name}
    plan = ResponsePlan(river=river, version=_next_version(river), title=title, summary=summary or "", created_by=user)
    plan.full_clean(validate_constraints=False)
    plan.save()
    return plan


@transaction.atomic
def update_plan(plan: ResponsePlan, **fields) -> ResponsePlan:
    unknown = set(fields) - PLAN_FIELDS
    if unknown:
        raise ValueError(f"unknown plan fields: {sorted(unknown)}")
    _refuse_unless_draft(plan)
    for name, value in fields.items():
        setattr(plan, name, value)
    plan.full_clean(validate_constraints=False)
    plan.save()
    return plan


@transaction.atomic
def delete_plan(plan: ResponsePlan) -> None:
    """Approved and superseded versions are the record of what was in force: only drafts go."""
    _refuse_unless_draft(plan)
    delete_or_refuse(plan)


@transaction.atomic
def approve_plan(plan: ResponsePlan, *, user=None, now=None) -> ResponsePlan:
    """Approve a draft; the river's approved plan (if any) becomes superseded in the same
    transaction, so there is never a moment with two (the partial unique index also says so)."""
    _refuse_unless_draft(plan)
    ResponsePlan.objects.select_for_update().filter(river_id=plan.river_id, status=ResponsePlan.Status.APPROVED).update(
        status=ResponsePlan.Status.SUPERSEDED
    )
    plan.status = ResponsePlan.Status.APPROVED
    plan.approved_by = user
    plan.approved_at = now or timezone.now()
    plan.save(update_fields=["status", "approved_by", "approved_at"])
    return plan


@transaction.atomic
def new_plan_version(plan: ResponsePlan, *, user=None) -> ResponsePlan:
    """A new draft copied from `plan` (its measures and task templates too)."""
    draft = ResponsePlan.objects.create(
        river=plan.river,
        version=_next_version(plan.river),
        title=plan.title,
        summary=plan.summary,
        created_by=user,
    )
    TaskTemplate.objects.bulk_create(
        TaskTemplate(
            plan=draft,
            department_id=t.department_id,
            text=t.text,
            order=t.order,
            ack_minutes=t.ack_minutes,
            complete_minutes=t.complete_minutes,
        )
        for t in plan.task_templates.all()
    )
    Measure.objects.bulk_create(
        Measure(plan=draft, space_id=m.space_id, category=m.category, action=m.action, order=m.order)
        for m in plan.measures.all()
    )
    return draft


def _save_child(instance, fields: dict, allowed: set[str]):
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    if instance.pk:
        _refuse_unless_draft(instance.plan)  # the plan it belongs to now
    for name, value in fields.items():
        setattr(instance, name, value)
    _refuse_unless_draft(instance.plan)  # and the plan it goes to
    return instance


@transaction.atomic
def save_task_template(*, template: TaskTemplate | None = None, **fields) -> TaskTemplate:
    template = _save_child(template or TaskTemplate(), fields, TASK_FIELDS)
    if template.complete_minutes is not None and template.complete_minutes < template.ack_minutes:
        raise ValidationError({"complete_minutes": [_("Completion cannot be due before acknowledgement.")]})
    if template.ack_minutes is not None and template.ack_minutes < 1:
        raise ValidationError({"ack_minutes": [_("Must be at least one minute.")]})
    template.full_clean(validate_constraints=False)
    template.save()
    return template


@transaction.atomic
def delete_task_template(template: TaskTemplate) -> None:
    _refuse_unless_draft(template.plan)
    delete_or_refuse(template)


@transaction.atomic
def save_measure(*, measure: Measure | None = None, **fields) -> Measure:
    measure = _save_child(measure or Measure(), fields, MEASURE_FIELDS)
    if measure.space.kind != RiverFeature.Kind.SPACE:
        raise ValidationError({"space": [_("Measures are taken at emergency spaces.")]})
    if measure.space.river_id != measure.plan.river_id:
        raise ValidationError({"space": [_("This emergency space is on another river.")]})
    measure.full_clean(validate_constraints=False)
    measure.save()
    return measure


@transaction.atomic
def delete_measure(measure: Measure) -> None:
    _refuse_unless_draft(measure.plan)
    delete_or_refuse(measure)


@transaction.atomic
def set_plan_contents(plan: ResponsePlan, *, task_templates=None, measures=None) -> ResponsePlan:
    """Replace a draft's task templates and/or measures with the given lists of field dicts
    (a plan edited as one document, e.g. POST /api/plans/ with nested lists)."""
    _refuse_unless_draft(plan)
    if task_templates is not None:
        plan.task_templates.all().delete()
        for fields in task_templates:
            save_task_template(plan=plan, **{k: v for k, v in fields.items() if k != "plan"})
    if measures is not None:
        plan.measures.all().delete()
        for fields in measures:
            save_measure(plan=plan, **{k: v for k, v in fields.items() if k != "plan"})
    return plan
