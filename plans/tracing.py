"""Tracing a spill downstream (1-D instantaneous release, HJ 2.3-2018; see docs/domain.md).

Three queries, whatever the size of the network: snap (KNN on the spatial index, then the
geodesic distance among a few candidates), the outlet chain (recursive CTE), and the features
below the spill on those rivers (index on river, chainage). Everything else is arithmetic on the
chainages stored when rivers and features were saved.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.db.models import Q
from django.utils.translation import gettext as _

from backend.api import Unserviceable

from . import boundaries
from .geo import chainage_sql
from .models import Pollutant, RiverFeature

# Within this distance of the spill the 1-D model does not hold (not yet mixed across).
NEAR_FIELD_M = 500.0
_SNAP_CANDIDATES = 8  # KNN ranks in degrees; the geodesic nearest is among the first few

_SNAP_SQL = f"""
WITH pt AS (SELECT ST_SetSRID(ST_MakePoint(%s, %s), 4326) AS g),
cand AS (
    SELECT r.id, r.geometry FROM plans_river AS r
    ORDER BY r.geometry <-> (SELECT g FROM pt) LIMIT {_SNAP_CANDIDATES}
),
best AS (
    SELECT c.id, c.geometry, ST_Distance(c.geometry::geography, (SELECT g FROM pt)::geography) AS d
    FROM cand AS c ORDER BY d, c.id LIMIT 1
)
SELECT b.id, b.d, {chainage_sql("b.geometry", "pt.g")}
FROM best AS b, pt
"""

_PATH_SQL = """
WITH RECURSIVE path(id, outlet_id, depth) AS (
    SELECT id, outlet_id, 0 FROM plans_river WHERE id = %s
    UNION ALL
    SELECT r.id, r.outlet_id, p.depth + 1 FROM plans_river AS r JOIN path AS p ON r.id = p.outlet_id
    WHERE p.depth < 500
)
SELECT r.id, r.code, r.name, r.velocity_ms, r.flow_m3s, r.dispersion_m2s, r.length_m, r.confluence_chainage_m
FROM path AS p JOIN plans_river AS r ON r.id = p.id ORDER BY p.depth
"""


@dataclass
class Reach:
    """The part of one river the pollution travels: from `start_m` (spill or confluence) to the mouth."""

    id: int
    code: str
    name: str
    velocity_ms: float
    flow_m3s: float
    dispersion_m2s: float
    length_m: float
    confluence_chainage_m: float | None
    start_m: float = 0.0

    @property
    def area_m2(self) -> float:
        return self.flow_m3s / self.velocity_ms


def max_snap_m() -> float:
    """Farther than this from every river a spill gets 422 (TRACE_MAX_SNAP_M, default 2 km)."""
    return float(settings.TRACE_MAX_SNAP_M)


def snap(lon: float, lat: float) -> tuple[int, float, float]:
    """(river id, distance from the point in metres, chainage of the snapped point)."""
    with connection.cursor() as cursor:
        cursor.execute(_SNAP_SQL, [lon, lat])
        row = cursor.fetchone()
    limit = max_snap_m()
    if row is None or row[1] > limit:
        raise Unserviceable(
            _("No river within %(limit).0f m of this point (nearest: %(nearest)s).")
            % {"limit": limit, "nearest": f"{row[1]:.0f} m" if row else _("none")}
        )
    return int(row[0]), float(row[1]), float(row[2])


def _reaches(river_id: int, chainage_m: float, overrides: dict[str, dict]) -> list[Reach]:
    with connection.cursor() as cursor:
        cursor.execute(_PATH_SQL, [river_id])
        reaches = [Reach(*row) for row in cursor.fetchall()]
    for i, reach in enumerate(reaches):
        for name, value in (overrides.get(reach.code) or {}).items():
            setattr(reach, name, float(value))
        if i == 0:
            reach.start_m = min(chainage_m, reach.length_m)
        else:
            reach.start_m = reaches[i - 1].confluence_chainage_m or 0.0
    # The chain ends where a river has no outlet (or its confluence is unknown).
    for i, reach in enumerate(reaches[:-1]):
        if reach.confluence_chainage_m is None:
            return reaches[: i + 1]
    return reaches


def _features(reaches: list[Reach]) -> dict[int, list[tuple]]:
    below = Q()
    for reach in reaches:
        below |= Q(river_id=reach.id, chainage_m__gte=reach.start_m)
    rows = RiverFeature.objects.filter(below).values_list(
        "id", "kind", "name", "river_id", "chainage_m", "water_class", "setup_minutes", "capacity_m3"
    )
    by_river: dict[int, list[tuple]] = {}
    for row in rows.order_by("chainage_m", "id"):
        by_river.setdefault(row[3], []).append(row)
    return by_river


def _significant(value: float, digits: int = 6) -> float:
    return float(f"{value:.{digits}g}")


class _Plume:
    """Accumulates distance, time and variance along the path and evaluates a point on it."""

    def __init__(self, pollutant: Pollutant | None, mass_kg: float | None):
        self.pollutant = pollutant
        self.mass_g = mass_kg * 1000.0 if mass_kg is not None and pollutant is not None else None
        self.k_per_s = (pollutant.decay_per_day if pollutant else 0.0) / 86_400.0
        self.distance = self.seconds = self.variance = 0.0

    def at(self, reach: Reach, length: float) -> tuple[float, float, float]:
        """Distance, travel time and σ² at `length` metres into the current reach."""
        length = max(length, 0.0)
        time = length / reach.velocity_ms
        return (
            self.distance + length,
            self.seconds + time,
            self.variance + 2.0 * reach.dispersion_m2s * time,
        )

    def advance(self, reach: Reach, length: float) -> None:
        self.distance, self.seconds, self.variance = self.at(reach, length)

    def entry(self, *, kind, id, name, reach: Reach, length: float, water_class: str = "") -> dict:
        distance, seconds, variance = self.at(reach, length)
        sigma = math.sqrt(variance)
        peak = None
        if self.mass_g is not None and distance >= NEAR_FIELD_M and variance > 0:
            decay = math.exp(-self.k_per_s * seconds)
            peak = self.mass_g / (reach.area_m2 * math.sqrt(2.0 * math.pi * variance)) * decay
        limit = self.pollutant.limit_for(water_class) if self.pollutant and water_class else None
        return {
            "kind": kind,
            "id": id,
            "name": name,
            "river": reach.code,
            "distance_m": round(distance, 1),
            "arrival_hours": round(seconds / 3600.0, 4),
            "front_hours": round((seconds - 2.0 * sigma / reach.velocity_ms) / 3600.0, 4),
            "peak_mg_l": _significant(peak) if peak is not None else None,
            "limit_mg_l": limit,
            "exceeds": (peak > limit) if peak is not None and limit is not None else None,
        }


def trace(
    lon: float,
    lat: float,
    *,
    pollutant: Pollutant | None = None,
    mass_kg: float | None = None,
    overrides: dict[str, dict] | None = None,
) -> dict:
    """The downstream timeline of a spill at (lon, lat). Reads only; raises Unserviceable (422)
    when no river is near enough. `overrides` maps river codes to velocity_ms/flow_m3s (and
    dispersion_m2s) for a flood or dry season."""
    river_id, snap_distance, chainage = snap(lon, lat)
    reaches = _reaches(river_id, chainage, overrides or {})
    features = _features(reaches)
    plume = _Plume(pollutant, mass_kg)
    downstream: list[dict] = []
    for i, reach in enumerate(reaches):
        for fid, kind, name, _river, at_m, water_class, setup_minutes, capacity in features.get(reach.id, []):
            item = plume.entry(
                kind=kind, id=fid, name=name, reach=reach, length=at_m - reach.start_m, water_class=water_class
            )
            if kind == RiverFeature.Kind.SPACE:
                item["setup_minutes"], item["capacity_m3"] = setup_minutes, capacity
            downstream.append(item)
        plume.advance(reach, reach.length_m - reach.start_m)
        if i + 1 < len(reaches):
            entered = reaches[i + 1]
            # Evaluated on the river entered: the mixed flow of the larger river dilutes.
            downstream.append(plume.entry(kind="confluence", id=entered.id, name=entered.name, reach=entered, length=0))
    first = reaches[0]
    crossings = boundaries.crossings(
        reaches, _evaluator(reaches, pollutant, mass_kg), with_mass=plume.mass_g is not None
    )
    return {
        "river": {"id": first.id, "code": first.code, "name": first.name},
        "snap_distance_m": round(snap_distance, 1),
        "chainage_m": round(first.start_m, 1),
        "pollutant": pollutant.code if pollutant else None,
        "mass_kg": mass_kg,
        "downstream": downstream,
        "recommended_space": recommend_space(downstream, with_mass=plume.mass_g is not None),
        "boundary_crossings": crossings,
    }


def _evaluator(reaches: list[Reach], pollutant: Pollutant | None, mass_kg: float | None):
    """The plume at (reach index, metres into that reach), as the downstream entries have it,
    against the class III limit: what plans.boundaries reports at a computed crossing."""

    def evaluate(index: int, length: float) -> dict:
        plume = _Plume(pollutant, mass_kg)
        for reach in reaches[:index]:
            plume.advance(reach, reach.length_m - reach.start_m)
        return plume.entry(kind="boundary", id=None, name="", reach=reaches[index], length=length, water_class="III")

    return evaluate


def recommend_space(downstream: list[dict], *, with_mass: bool) -> dict | None:
    """The nearest emergency space downstream that can be set up before the front arrives and
    lies above the first threatened receptor (first receptor exceeding its limit; without a
    mass, the first receptor). With no threatened receptor any reachable space qualifies."""
    threatened = next(
        (e for e in downstream if e["kind"] == RiverFeature.Kind.RECEPTOR and (e["exceeds"] is True or not with_mass)),
        None,
    )
    for entry in downstream:
        if threatened is not None and entry["distance_m"] >= threatened["distance_m"]:
            return None
        if entry["kind"] != RiverFeature.Kind.SPACE:
            continue
        if entry["front_hours"] * 60.0 >= (entry.get("setup_minutes") or 0):
            return entry
    return None


def predict_at(
    lon: float,
    lat: float,
    *,
    point: tuple[float, float],
    seconds_after: float,
    pollutant: Pollutant | None,
    mass_kg: float | None,
    overrides: dict[str, dict] | None = None,
) -> dict | None:
    """What the model expects at `point` (lon, lat) `seconds_after` the spill at (lon, lat): the
    distance along the river, the peak's arrival and the concentration then. Used to show a
    field sample beside the prediction. None when the point is not downstream of the spill.

    On the spill's own river this is C(x, t) of docs/domain.md exactly; past a confluence the cloud
    is treated as frozen (Gaussian in time around the peak's arrival with σ_t = σ/u), which is
    the same approximation the peak formula makes."""
    river_id, _snap_m, chainage = snap(lon, lat)
    target_river, _target_snap_m, target_chainage = snap(*point)
    reaches = _reaches(river_id, chainage, overrides or {})
    plume = _Plume(pollutant, mass_kg)
    for index, reach in enumerate(reaches):
        if reach.id == target_river and target_chainage >= reach.start_m:
            length = target_chainage - reach.start_m
            distance, peak_seconds, variance = plume.at(reach, length)
            on_spill_river = index == 0
            break
        plume.advance(reach, reach.length_m - reach.start_m)
    else:
        return None
    result = {
        "distance_m": round(distance, 1),
        "arrival_hours": round(peak_seconds / 3600.0, 4),
        "predicted_mg_l": None,
    }
    if plume.mass_g is None or distance < NEAR_FIELD_M or seconds_after <= 0:
        return result
    decay = math.exp(-plume.k_per_s * seconds_after)
    if on_spill_river:
        e, u = reach.dispersion_m2s, reach.velocity_ms
        spread = 4.0 * e * seconds_after
        value = (
            plume.mass_g
            / (reach.area_m2 * math.sqrt(math.pi * spread))
            * math.exp(-((length - u * seconds_after) ** 2) / spread)
        )
    else:
        sigma_t = math.sqrt(variance) / reach.velocity_ms
        peak = plume.mass_g / (reach.area_m2 * math.sqrt(2.0 * math.pi * variance))
        value = peak * math.exp(-((seconds_after - peak_seconds) ** 2) / (2.0 * sigma_t**2))
    result["predicted_mg_l"] = _significant(value * decay)
    return result
