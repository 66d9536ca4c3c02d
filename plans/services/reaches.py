"""River reaches: stretches of a river with their own hydraulics, entered by hand.

Reaches of one river never overlap; `from` < `to`; every number is positive (slope may be
absent). A river without reaches is one reach with the river's own values (plans.tracing).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import River, RiverReach
from .deleting import delete_or_refuse

SEASONAL = ("flow_m3s", "velocity_ms", "dispersion_m2s")
GEOMETRY = ("width_m", "depth_m", "slope")
REACH_FIELDS = {"river", "from_chainage_m", "to_chainage_m", *SEASONAL, *GEOMETRY}
REACH_FIELDS |= {f"{season}_{name}" for season in ("dry", "wet") for name in SEASONAL}


def check_reach(reach: RiverReach) -> None:
    """Raise ValidationError naming the field: negative, from ≥ to, overlap with another reach."""
    errors: dict[str, list[str]] = {}
    if reach.from_chainage_m is not None and reach.from_chainage_m < 0:
        errors["from_chainage_m"] = [_("Must not be negative.")]
    if reach.from_chainage_m is not None and reach.to_chainage_m is not None:
        if reach.to_chainage_m <= reach.from_chainage_m:
            errors["to_chainage_m"] = [_("Must be greater than from_chainage_m.")]
    for name in REACH_FIELDS - {"river", "from_chainage_m", "to_chainage_m"}:
        value = getattr(reach, name)
        if value is not None and value <= 0:
            errors[name] = [_("Must be greater than zero.")]
    if errors:
        raise ValidationError(errors)
    overlapping = RiverReach.objects.filter(
        river_id=reach.river_id, from_chainage_m__lt=reach.to_chainage_m, to_chainage_m__gt=reach.from_chainage_m
    ).exclude(pk=reach.pk)
    other = overlapping.order_by("from_chainage_m").first()
    if other is not None:
        message = _("Overlaps the reach %(from).0f–%(to).0f m of this river.") % {
            "from": other.from_chainage_m,
            "to": other.to_chainage_m,
        }
        raise ValidationError({"from_chainage_m": [message], "to_chainage_m": [message]})


@transaction.atomic
def save_reach(*, reach: RiverReach | None = None, **fields) -> RiverReach:
    unknown = set(fields) - REACH_FIELDS
    if unknown:
        raise ValueError(f"unknown reach fields: {sorted(unknown)}")
    reach = reach or RiverReach()
    for name, value in fields.items():
        setattr(reach, name, value)
    if reach.river_id is not None:
        # Serialise concurrent writes to one river's reaches, so two overlapping saves cannot
        # both pass the overlap check.
        River.objects.select_for_update().filter(pk=reach.river_id).first()
    reach.full_clean(validate_constraints=False)
    check_reach(reach)
    reach.save()
    return reach


@transaction.atomic
def delete_reach(reach: RiverReach) -> None:
    delete_or_refuse(reach)


@transaction.atomic
def replace_reaches(river: River, rows: list[dict]) -> None:
    """Set a river's reaches to `rows` (the GeoJSON import: the file is the truth)."""
    RiverReach.objects.filter(river=river).delete()
    for row in sorted(rows, key=lambda r: r.get("from_chainage_m") or 0):
        save_reach(river=river, **row)


def reach_properties(reach: RiverReach) -> dict:
    """A reach as the API and the GeoJSON export write it: normal values flat, the dry and wet
    season as optional objects (null when the reach has no values for that season)."""
    data = {
        "from_chainage_m": reach.from_chainage_m,
        "to_chainage_m": reach.to_chainage_m,
        **{name: getattr(reach, name) for name in (*SEASONAL, *GEOMETRY)},
    }
    for season in ("dry", "wet"):
        values = {name: getattr(reach, f"{season}_{name}") for name in SEASONAL}
        data[season] = values if any(v is not None for v in values.values()) else None
    return data


def flatten_seasons(data: dict, *, partial: bool = False) -> dict:
    """The inverse of reach_properties for the seasons: {"dry": {...}} → dry_flow_m3s, ...
    A season left out is cleared, except in a partial update."""
    fields = {k: v for k, v in data.items() if k not in ("dry", "wet")}
    for season in ("dry", "wet"):
        if partial and season not in data:
            continue
        values = data.get(season) or {}
        for name in SEASONAL:
            fields[f"{season}_{name}"] = values.get(name)
    return fields
