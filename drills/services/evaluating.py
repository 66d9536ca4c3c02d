"""Evaluating and improving: ratings of tasks, observations, and the improvement plan."""

from __future__ import annotations

from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.domain import DomainRefusal
from backend.incidents.models import Task

from ..models import Drill, Evaluation, ImprovementItem, Observation, Rating

ITEM_FIELDS = {"issue", "corrective_action", "department", "owner", "due_date", "status", "observation", "verified_in"}


@transaction.atomic
def rate_task(
    drill: Drill,
    task: Task,
    *,
    evaluator,
    rating: str,
    notes: str = "",
    observed_ack_at: datetime | None = None,
    observed_complete_at: datetime | None = None,
) -> Evaluation:
    """One evaluator's rating of a task (a second rating by the same evaluator replaces it).
    Observed times default to the log's, so the tablet form only needs a tap when they agree."""
    if drill.incident_id is None:
        raise DomainRefusal(_("The drill has not started; there is nothing to rate yet."), status=drill.status)
    if task.incident_id != drill.incident_id:
        raise ValidationError({"task": [_("This task is not part of this drill.")]})
    if rating not in Rating.values:
        raise ValidationError({"rating": [_("A rating is P, S, M or U.")]})
    evaluation, _created = Evaluation.objects.update_or_create(
        evaluator=evaluator,
        task=task,
        defaults={
            "drill": drill,
            "rating": rating,
            "notes": (notes or "").strip(),
            "observed_ack_at": observed_ack_at or task.acknowledged_at,
            "observed_complete_at": observed_complete_at or task.completed_at,
        },
    )
    return evaluation


@transaction.atomic
def add_observation(drill: Drill, *, author, kind: str, text: str, department=None) -> Observation:
    if kind not in Observation.Kind.values:
        raise ValidationError({"kind": [_("An observation is a strength or an area for improvement.")]})
    if not (text or "").strip():
        raise ValidationError({"text": [_("An observation needs text.")]})
    return Observation.objects.create(drill=drill, author=author, kind=kind, text=text.strip(), department=department)


@transaction.atomic
def save_improvement_item(
    *, drill: Drill | None = None, item: ImprovementItem | None = None, now: datetime | None = None, **fields
) -> ImprovementItem:
    unknown = set(fields) - ITEM_FIELDS
    if unknown:
        raise ValueError(f"unknown improvement item fields: {sorted(unknown)}")
    now = now or timezone.now()
    item = item or ImprovementItem(drill=drill)
    was_done = item.status == ImprovementItem.Status.DONE
    for name, value in fields.items():
        setattr(item, name, value)
    for name in ("issue", "corrective_action", "owner"):
        if not (getattr(item, name) or "").strip():
            raise ValidationError({name: [_("A value is required.")]})
    # Closing stamps the time; reopening clears it, so "closed" always means closed now.
    if item.status == ImprovementItem.Status.DONE and not was_done:
        item.closed_at = now
    elif item.status != ImprovementItem.Status.DONE:
        item.closed_at = None
    item.full_clean(validate_constraints=False)
    item.save()
    return item


def overdue_items(today: date | None = None):
    today = today or timezone.localdate()
    return (
        ImprovementItem.objects.exclude(status=ImprovementItem.Status.DONE)
        .filter(due_date__lt=today)
        .select_related("drill", "department")
        .order_by("due_date", "pk")
    )
