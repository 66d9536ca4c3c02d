"""Suggest an event level (国家突发环境事件应急预案, 2014) from what the trace tells.

A drinking-water intake cut off: of a prefecture city → I, of a county town → II, of a
township → III; pollution crossing a province boundary → II, a prefecture boundary → III.
Anything else starts at IV until the officer knows more (casualties, losses).
"""

from __future__ import annotations

INTAKE_LEVEL = {"prefecture": 1, "county": 2, "township": 3}
# Lower bounds of levels I, II, III ("以上" includes the number); below the last → IV.
IMPACT_THRESHOLDS = {
    "deaths": (30, 10, 3),
    "poisoned": (100, 50, 10),
    "evacuated": (50_000, 10_000, 5_000),
    "direct_loss_yuan": (100_000_000, 20_000_000, 5_000_000),
}


def impact_level(**known: int | None) -> tuple[int, list[dict]]:
    """The level the known consequences reach, with one reason per criterion that counts."""
    level, reasons = DEFAULT_LEVEL, []
    for field, bounds in IMPACT_THRESHOLDS.items():
        value = known.get(field)
        if value is None:
            continue
        for candidate, bound in enumerate(bounds, start=1):
            if value >= bound:
                reasons.append({"rule": field, "level": candidate, "value": value, "threshold": bound})
                level = min(level, candidate)
                break
    return level, reasons


BOUNDARY_LEVEL = {"province": 2, "prefecture": 3}
DEFAULT_LEVEL = 4


def threatened(entry: dict, with_mass: bool) -> bool:
    """With a mass, a receptor is threatened when the predicted peak exceeds its limit; without
    one nothing can be ruled out, so every receptor downstream counts."""
    if entry["kind"] != "receptor":
        return False
    return entry.get("exceeds") is True or (not with_mass or entry.get("exceeds") is None)


def suggest_level(downstream: list[dict], receptors: dict[int, object], *, with_mass: bool) -> tuple[int, list[dict]]:
    """Return (level, reasons). `receptors` maps feature id → RiverFeature for receptor entries."""
    level, reasons = DEFAULT_LEVEL, []
    for entry in downstream:
        if not threatened(entry, with_mass):
            continue
        feature = receptors.get(entry["id"])
        if feature is None:
            continue
        if feature.receptor_type == "drinking_water" and feature.serves in INTAKE_LEVEL:
            candidate, rule = INTAKE_LEVEL[feature.serves], f"intake_{feature.serves}"
        elif feature.receptor_type == "boundary" and feature.boundary in BOUNDARY_LEVEL:
            candidate, rule = BOUNDARY_LEVEL[feature.boundary], f"boundary_{feature.boundary}"
        else:
            continue
        reasons.append(
            {
                "rule": rule,
                "level": candidate,
                "feature": entry["id"],
                "name": entry["name"],
                "arrival_hours": entry["arrival_hours"],
                "exceeds": entry.get("exceeds"),
            }
        )
        level = min(level, candidate)
    reasons.sort(key=lambda r: (r["level"], r["arrival_hours"]))
    return level, reasons
