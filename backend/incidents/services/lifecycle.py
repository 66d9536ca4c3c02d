"""Level, status, notes, samples, closing and reopening: each a verb that writes its event."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.gis.geos import Point
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.domain import DomainRefusal

from ..models import Incident, Sample
from .events import lock_incident, record, record_many

STATUS_ORDER = [s.value for s in Incident.Status]


def _open_or_refuse(incident: Incident) -> None:
    if incident.status == Incident.Status.CLOSED:
        raise DomainRefusal(_("The incident is closed; reopen it first."), status=incident.status)


@transaction.atomic
def change_level(incident: Incident, level: int, reason: str, *, actor=None, now: datetime | None = None) -> Incident:
    if level not in Incident.Level.values:
        raise ValidationError({"level": [_("The level is 1 (I) to 4 (IV).")]})
    if not (reason or "").strip():
        raise ValidationError({"reason": [_("Say why the level is set (criteria met, facts known).")]})
    incident = lock_incident(incident.pk)
    _open_or_refuse(incident)
    previous = incident.level
    incident.level, incident.level_confirmed = level, True
    incident.save(update_fields=["level", "level_confirmed", "updated_at"])
    record(
        incident,
        "level_changed",
        {"from": previous, "to": level, "reason": reason.strip(), "suggested": incident.suggested_level},
        actor=actor,
        at=now,
    )
    from .reporting import retime_reporting  # a level of II or I moves the report to the 2-hour procedure

    retime_reporting(incident, actor=actor, now=now)
    return incident


@transaction.atomic
def change_status(
    incident: Incident, status: str, *, summary: str = "", actor=None, now: datetime | None = None
) -> Incident:
    if status not in STATUS_ORDER:
        raise ValidationError({"status": [_("Unknown status “%(s)s”.") % {"s": status}]})
    if status == Incident.Status.CLOSED:
        return close_incident(incident, summary, actor=actor, now=now)
    incident = lock_incident(incident.pk)
    _open_or_refuse(incident)
    if STATUS_ORDER.index(status) <= STATUS_ORDER.index(incident.status):
        raise DomainRefusal(
            _("Status moves forward only (from %(a)s); reopen or correct with a note.") % {"a": incident.status},
            status=incident.status,
        )
    previous = incident.status
    incident.status = status
    incident.save(update_fields=["status", "updated_at"])
    record(incident, "status_changed", {"from": previous, "to": status}, actor=actor, at=now)
    return incident


@transaction.atomic
def close_incident(incident: Incident, summary: str, *, actor=None, now: datetime | None = None) -> Incident:
    if not (summary or "").strip():
        raise ValidationError({"summary": [_("Closing needs a summary of what happened and what was done.")]})
    now = now or timezone.now()
    incident = lock_incident(incident.pk)
    _open_or_refuse(incident)
    previous = incident.status
    incident.status, incident.summary, incident.closed_at = Incident.Status.CLOSED, summary.strip(), now
    incident.save(update_fields=["status", "summary", "closed_at", "updated_at"])
    record(incident, "status_changed", {"from": previous, "to": Incident.Status.CLOSED}, actor=actor, at=now)
    record(incident, "closed", {"summary": incident.summary}, actor=actor, at=now)
    return incident


@transaction.atomic
def reopen_incident(incident: Incident, reason: str = "", *, actor=None, now: datetime | None = None) -> Incident:
    incident = lock_incident(incident.pk)
    if incident.status != Incident.Status.CLOSED:
        raise DomainRefusal(_("Only a closed incident can be reopened."), status=incident.status)
    if Incident.objects.filter(short_code=incident.short_code).exclude(status=Incident.Status.CLOSED).exists():
        raise DomainRefusal(_("Another open incident now uses this short code."), short_code=incident.short_code)
    incident.status, incident.closed_at = Incident.Status.RESPONDING, None
    incident.save(update_fields=["status", "closed_at", "updated_at"])
    record(incident, "reopened", {"reason": reason.strip(), "to": incident.status}, actor=actor, at=now)
    return incident


@transaction.atomic
def update_impact(incident: Incident, *, actor=None, now: datetime | None = None, **known) -> Incident:
    """Record what is known of the consequences; the suggested level follows, and so does the
    level itself until the officer has confirmed one (services/assessment.py)."""
    from .assessment import IMPACT_FIELDS, apply_assessment, assess
    from .reporting import retime_reporting

    unknown = set(known) - set(IMPACT_FIELDS)
    if unknown:
        raise ValidationError({name: [_("Unknown field.")] for name in unknown})
    incident = lock_incident(incident.pk)
    _open_or_refuse(incident)
    for field, value in known.items():
        setattr(incident, field, value)
    apply_assessment(incident, assess(incident))
    incident.save()
    record(
        incident,
        "impact_updated",
        {
            **known,
            "suggested": incident.suggested_level,
            "level": incident.level,
            "reasons": incident.level_reasons,
            "potential_level": incident.potential_level,
        },
        actor=actor,
        at=now,
    )
    retime_reporting(incident, actor=actor, now=now)
    return incident


@transaction.atomic
def add_note(incident: Incident, text: str, *, actor=None, now: datetime | None = None) -> None:
    if not (text or "").strip():
        raise ValidationError({"text": [_("A note needs text.")]})
    incident = lock_incident(incident.pk)
    record(incident, "note", {"text": text.strip()}, actor=actor, at=now)


@transaction.atomic
def record_sample(
    incident: Incident,
    *,
    location: Point,
    pollutant,
    value_mg_l: float,
    sampled_at: datetime | None = None,
    sampled_by: str = "",
    actor=None,
    now: datetime | None = None,
) -> Sample:
    if value_mg_l is None or value_mg_l < 0:
        raise ValidationError({"value_mg_l": [_("A concentration is zero or more (mg/L).")]})
    now = now or timezone.now()
    incident = lock_incident(incident.pk)
    _open_or_refuse(incident)
    sample = Sample.objects.create(
        incident=incident,
        location=location,
        pollutant=pollutant,
        value_mg_l=value_mg_l,
        sampled_at=sampled_at or now,
        sampled_by=sampled_by,
        recorded_by=actor if actor is not None and actor.is_authenticated else None,
    )
    prediction = _prediction(incident, sample)
    record(
        incident,
        "sample_recorded",
        {
            **prediction,
            "sample": sample.pk,
            "location": {"type": "Point", "coordinates": [location.x, location.y]},
            "pollutant": pollutant.code,
            "value_mg_l": value_mg_l,
            "sampled_at": timezone.localtime(sample.sampled_at).isoformat(),
            "sampled_by": sampled_by,
        },
        actor=actor,
        at=now,
    )
    return sample


def _prediction(incident: Incident, sample: Sample) -> dict:
    """What the trace model expected at the sample's place and time, to show beside it (only
    for the incident's own pollutant, with a known mass, downstream of the spill)."""
    from backend.domain import Unserviceable
    from plans.tracing import predict_at

    if not incident.trace or incident.pollutant_id != sample.pollutant_id or incident.mass_kg is None:
        return {"predicted_mg_l": None}
    try:
        predicted = predict_at(
            incident.location.x,
            incident.location.y,
            point=(sample.location.x, sample.location.y),
            seconds_after=(sample.sampled_at - incident.occurred_at).total_seconds(),
            pollutant=incident.pollutant,
            mass_kg=incident.mass_kg,
        )
    except Unserviceable:  # the sample was taken away from any river
        predicted = None
    if predicted is None:
        return {"predicted_mg_l": None}
    return {
        "predicted_mg_l": predicted["predicted_mg_l"],
        "distance_m": predicted["distance_m"],
        "predicted_arrival_at": timezone.localtime(
            incident.occurred_at + timedelta(hours=predicted["arrival_hours"])
        ).isoformat(),
    }


@transaction.atomic
def append_event(incident_id: int, event_type: str, data: dict, *, actor=None, actor_name: str = "", at=None):
    """For listening apps (alerts: sms_status; drills: inject_delivered; inventory signals):
    append an event to an incident's log in the caller's transaction."""
    incident = lock_incident(incident_id)
    return record(incident, event_type, data, actor=actor, actor_name=actor_name, at=at)


@transaction.atomic
def append_events(incident_id: int, entries: list[tuple[str, dict, datetime | None]], *, actor_name: str = ""):
    """append_event for a batch of system events (alerts: SMS status callbacks applied together):
    one lock of the incident and one write for all of them, in the caller's transaction."""
    incident = lock_incident(incident_id)
    return record_many(incident, entries, actor_name=actor_name)
