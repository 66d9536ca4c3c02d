"""The incident's level assessment from its record: the trace at opening, the impact figures and
the intakes cut off (rules in levels.py). Written back on every change that can move it."""

from __future__ import annotations

from plans.models import RiverFeature

from ..models import Incident
from .levels import impact_level, split_levels, suspended_intake_reasons, trace_reasons

IMPACT_FIELDS = ("deaths", "poisoned", "evacuated", "direct_loss_yuan")


def receptors_of(trace: dict | None) -> dict[int, RiverFeature]:
    if not trace:
        return {}
    ids = [e["id"] for e in trace.get("downstream", []) if e["kind"] == "receptor"]
    return RiverFeature.objects.select_related("downstream_jurisdiction").in_bulk(ids)


def pollutant_has_limit(incident: Incident) -> bool:
    """An unknown pollutant may have a limit (so the trace's no-mass answer stands as potential);
    a known one without a class III limit (acids, alkalis) has none."""
    return incident.pollutant is None or incident.pollutant.limit_iii is not None


def assess(incident: Incident, receptors: dict[int, RiverFeature] | None = None) -> dict:
    """{suggested_level, level_reasons, potential_level, potential_reasons} for the record as it is."""
    reasons = []
    if incident.trace:
        reasons += trace_reasons(
            incident.trace,
            receptors if receptors is not None else receptors_of(incident.trace),
            with_mass=incident.mass_kg is not None,
            pollutant_has_limit=pollutant_has_limit(incident),
        )
    reasons += impact_level(**{f: getattr(incident, f) for f in IMPACT_FIELDS})[1]
    if incident.suspended_intakes:
        reasons += suspended_intake_reasons(RiverFeature.objects.filter(pk__in=incident.suspended_intakes))
    return split_levels(reasons)


def apply_assessment(incident: Incident, assessment: dict) -> None:
    """Set the assessment on the (locked) incident; the level follows the suggestion until the
    officer has confirmed one. The caller saves and records."""
    for field, value in assessment.items():
        setattr(incident, field, value)
    if not incident.level_confirmed:
        incident.level = incident.suggested_level
