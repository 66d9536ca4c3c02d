"""Suggest an event level (国家突发环境事件应急预案, 2014, 附件1) from what is known and predicted.

A drinking-water intake cut off: of a prefecture city → I, of a county town → II, of a
township → III; pollution crossing a province boundary → II, a prefecture boundary → III;
deaths, poisoned, evacuated and direct loss by their thresholds. Anything else starts at IV.

The criteria speak of what happened. So each reason carries its `basis`:
- "confirmed": a fact on the record (impact figures, an intake the water department cut off);
- "predicted": the trace, with a known mass, predicts the limit exceeded at an intake or a line.
Both count towards the suggested level. What the trace merely reaches (no mass, no limit for
the pollutant: plans/threat.py decides) is a "potential" reason: it feeds only the potential
level, shown beside the suggestion, never the suggestion itself.
"""

from __future__ import annotations

from plans.threat import POTENTIAL, PREDICTED, threat_basis

CONFIRMED = "confirmed"

INTAKE_LEVEL = {"prefecture": 1, "county": 2, "township": 3}
BOUNDARY_LEVEL = {"province": 2, "prefecture": 3}
DEFAULT_LEVEL = 4
# Lower bounds of levels I, II, III ("以上" includes the number); below the last → IV.
IMPACT_THRESHOLDS = {
    "deaths": (30, 10, 3),
    "poisoned": (100, 50, 10),
    "evacuated": (50_000, 10_000, 5_000),
    "direct_loss_yuan": (100_000_000, 20_000_000, 5_000_000),
}


def impact_level(**known: int | None) -> tuple[int, list[dict]]:
    """The level the known consequences reach, with one confirmed reason per criterion that counts."""
    level, reasons = DEFAULT_LEVEL, []
    for field, bounds in IMPACT_THRESHOLDS.items():
        value = known.get(field)
        if value is None:
            continue
        for candidate, bound in enumerate(bounds, start=1):
            if value >= bound:
                reasons.append(
                    {"rule": field, "level": candidate, "value": value, "threshold": bound, "basis": CONFIRMED}
                )
                level = min(level, candidate)
                break
    return level, reasons


def suspended_intake_reasons(features) -> list[dict]:
    """An intake the water department has cut off is the criterion itself: a confirmed reason."""
    return [
        {
            "rule": f"intake_{feature.serves}",
            "level": INTAKE_LEVEL[feature.serves],
            "feature": feature.pk,
            "name": feature.name,
            "suspended": True,
            "basis": CONFIRMED,
        }
        for feature in features
        if feature.serves in INTAKE_LEVEL
    ]


def _receptor_rule(receptor_type: str, feature) -> tuple[int, str] | None:
    if receptor_type == "drinking_water" and feature.serves in INTAKE_LEVEL:
        return INTAKE_LEVEL[feature.serves], f"intake_{feature.serves}"
    if receptor_type == "boundary" and feature.boundary in BOUNDARY_LEVEL:
        return BOUNDARY_LEVEL[feature.boundary], f"boundary_{feature.boundary}"
    return None


def trace_reasons(
    trace: dict, receptors: dict[int, object], *, with_mass: bool, pollutant_has_limit: bool
) -> list[dict]:
    """Every reason the trace gives, each with basis predicted or potential. `receptors` maps
    feature id → RiverFeature for the receptor entries (hand-placed intakes and boundary
    sections); the trace's computed `boundary_crossings` count beside them."""
    reasons = []
    for entry in trace.get("downstream", []):
        feature = receptors.get(entry["id"]) if entry["kind"] == "receptor" else None
        if feature is None:
            continue
        receptor_type = feature.receptor_type or entry.get("receptor_type", "")
        basis = threat_basis(
            entry, receptor_type=receptor_type, with_mass=with_mass, pollutant_has_limit=pollutant_has_limit
        )
        rule = _receptor_rule(receptor_type, feature) if basis else None
        if rule is None:
            continue
        reasons.append(
            {
                "rule": rule[1],
                "level": rule[0],
                "feature": entry["id"],
                "name": entry["name"],
                "arrival_hours": entry["arrival_hours"],
                "exceeds": entry.get("exceeds"),
                "basis": basis,
            }
        )
    for crossing in trace.get("boundary_crossings", []):
        basis = crossing_basis(crossing, pollutant_has_limit=pollutant_has_limit)
        if basis is None or crossing["level"] not in BOUNDARY_LEVEL:
            continue
        reasons.append(
            {
                "rule": f"crossing_{crossing['level']}",
                "level": BOUNDARY_LEVEL[crossing["level"]],
                "name": f"{crossing['from_area']['name']} → {crossing['to_area']['name']}",
                "from_area": crossing["from_area"],
                "to_area": crossing["to_area"],
                "arrival_hours": crossing["arrival_hours"],
                "exceeds": crossing.get("exceeds"),
                "basis": basis,
            }
        )
    return reasons


def crossing_basis(crossing: dict, *, pollutant_has_limit: bool) -> str | None:
    """The trace's own basis for a computed crossing, except that a pollutant without a limit
    (acids, alkalis) never predicts an exceedance: only a potential reason (the same rule as
    plans/threat.py for receptors)."""
    basis = crossing.get("basis")
    if basis == PREDICTED and not pollutant_has_limit:
        return POTENTIAL
    return basis if basis in (PREDICTED, POTENTIAL) else None


def split_levels(reasons: list[dict]) -> dict:
    """suggested_level and level_reasons from the confirmed and predicted reasons;
    potential_level and potential_reasons from the potential ones. The potential level is never
    less serious than the suggested one (it is what the event may turn out to be)."""
    counted = sorted((r for r in reasons if r["basis"] != POTENTIAL), key=_order)
    potential = sorted((r for r in reasons if r["basis"] == POTENTIAL), key=_order)
    suggested = min([DEFAULT_LEVEL, *(r["level"] for r in counted)])
    return {
        "suggested_level": suggested,
        "level_reasons": counted,
        "potential_level": min([suggested, *(r["level"] for r in potential)]),
        "potential_reasons": potential,
    }


def _order(reason: dict) -> tuple:
    return (reason["level"], reason.get("arrival_hours") or 0.0)
