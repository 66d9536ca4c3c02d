"""Drinking-water intakes cut off (取水中断) and restored. Once the water department has stopped
an intake it is a fact, not a prediction: a confirmed reason for the level (levels.py), and a
drinking-water trigger of the II/I reporting procedure (reporting.py)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.api import DomainRefusal
from plans.models import RiverFeature

from ..models import Incident
from .assessment import apply_assessment, assess
from .events import lock_incident, record
from .reporting import retime_reporting


@transaction.atomic
def set_intake(
    incident: Incident, feature_id: int, suspended: bool, *, actor=None, now: datetime | None = None
) -> Incident:
    """Idempotent: telling again what is already recorded changes nothing and writes no event."""
    feature = RiverFeature.objects.filter(pk=feature_id).first()
    if feature is None or feature.receptor_type != RiverFeature.ReceptorType.DRINKING_WATER:
        raise ValidationError({"feature": [_("Not a drinking-water intake.")]})
    now = now or timezone.now()
    incident = lock_incident(incident.pk)
    if incident.status == Incident.Status.CLOSED:
        raise DomainRefusal(_("The incident is closed; reopen it first."), status=incident.status)
    current = set(incident.suspended_intakes)
    if (feature.pk in current) == suspended:
        return incident
    current = current | {feature.pk} if suspended else current - {feature.pk}
    incident.suspended_intakes = sorted(current)
    apply_assessment(incident, assess(incident))
    incident.save()
    record(
        incident,
        "intake_suspended" if suspended else "intake_resumed",
        {
            "feature": feature.pk,
            "name": feature.name,
            "serves": feature.serves or None,
            "suggested": incident.suggested_level,
            "level": incident.level,
            "reasons": incident.level_reasons,
        },
        actor=actor,
        at=now,
    )
    retime_reporting(incident, actor=actor, now=now)
    return incident
