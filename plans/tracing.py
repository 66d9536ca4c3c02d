"""Tracing a spill downstream (1-D instantaneous release, HJ 2.3-2018; see docs/domain.md).

One query, whatever the size of the network: snap (KNN on the spatial index, then the
geodesic distance among a few candidates), then the outlet chain (recursive CTE) with each
river's reaches and the features below the plume's entry (index on river, chainage).
Everything else is arithmetic on the chainages stored when rivers and features were saved.

The spread is accumulated in time (σₜ² = Σ 2·Eᵢ·tᵢ/uᵢ²): a change of velocity at a reach
boundary or a confluence keeps the plume's duration, not its length. The peak at a point uses
the flow of the reach the point lies on.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.api import Unserviceable

from . import boundaries, hooks
from .geo import chainage_sql
from .models import Pollutant, RiverFeature
from .threat import threat_basis

# Within this distance of the spill the 1-D model does not hold (not yet mixed across): no
# concentration is given there, and it is the mixing length where a reach has no geometry.
NEAR_FIELD_M = 500.0
GRAVITY = 9.81
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

# The outlet chain, each river with its reaches and the features below where the plume enters
# it: a river's entry point is the confluence chainage of the river above it (the spill's
# chainage for the first), and the chain ends where a confluence is unknown. `_START` gives the
# first river and the chainage: given (predict_at), or snapped in the same round trip (trace).
_CHAIN_SQL = """
path(id, outlet_id, confluence, depth, start_m) AS (
    SELECT r.id, r.outlet_id, r.confluence_chainage_m, 0, s.chainage
    FROM plans_river AS r JOIN start AS s ON r.id = s.id
    UNION ALL
    SELECT r.id, r.outlet_id, r.confluence_chainage_m, p.depth + 1, p.confluence
    FROM plans_river AS r JOIN path AS p ON r.id = p.outlet_id
    WHERE p.depth < 500 AND p.confluence IS NOT NULL
)
SELECT s.d, s.chainage, r.id, r.code, r.name, r.velocity_ms, r.flow_m3s, r.dispersion_m2s, r.length_m,
    r.confluence_chainage_m,
    (SELECT json_agg(json_build_array(
        x.from_chainage_m, x.to_chainage_m, x.flow_m3s, x.velocity_ms, x.dispersion_m2s, x.width_m, x.depth_m, x.slope,
        x.dry_flow_m3s, x.dry_velocity_ms, x.dry_dispersion_m2s, x.wet_flow_m3s, x.wet_velocity_ms,
        x.wet_dispersion_m2s) ORDER BY x.from_chainage_m)
     FROM plans_riverreach AS x WHERE x.river_id = r.id AND x.to_chainage_m > p.start_m),
    (SELECT json_agg(json_build_array(
        f.id, f.kind, f.name, f.river_id, f.chainage_m, f.water_class, f.setup_minutes, f.capacity_m3,
        f.receptor_type, ST_X(f.location), ST_Y(f.location)) ORDER BY f.chainage_m, f.id)
     FROM plans_riverfeature AS f WHERE f.river_id = r.id AND f.chainage_m >= p.start_m)
FROM path AS p JOIN plans_river AS r ON r.id = p.id, start AS s ORDER BY p.depth
"""
_PATH_SQL = (
    "WITH RECURSIVE start AS (SELECT %(river)s::int AS id, 0.0::float8 AS d, %(chainage)s::float8 AS chainage),\n"
    + _CHAIN_SQL
)
_TRACE_SQL = f"""
WITH RECURSIVE pt AS (SELECT ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326) AS g),
cand AS (
    SELECT r.id, r.geometry FROM plans_river AS r
    ORDER BY r.geometry <-> (SELECT g FROM pt) LIMIT {_SNAP_CANDIDATES}
),
best AS (
    SELECT c.id, c.geometry, ST_Distance(c.geometry::geography, (SELECT g FROM pt)::geography) AS d
    FROM cand AS c ORDER BY d, c.id LIMIT 1
),
start AS (SELECT b.id, b.d, {chainage_sql("b.geometry", "pt.g")} AS chainage FROM best AS b, pt),
{_CHAIN_SQL}"""

_HYDRAULICS = ("velocity_ms", "flow_m3s", "dispersion_m2s")


@dataclass
class Stretch:
    """A part of one river's path with one set of hydraulics: [from_m, to_m) in its chainage."""

    from_m: float
    to_m: float
    velocity_ms: float
    flow_m3s: float
    dispersion_m2s: float
    width_m: float | None = None
    depth_m: float | None = None
    slope: float | None = None

    @property
    def area_m2(self) -> float:
        return self.flow_m3s / self.velocity_ms

    def mixing_length_m(self, bank_distance_m: float = 0.0) -> float | None:
        """HJ 2.3-2018 mixing length for a release `bank_distance_m` from the nearer bank, with
        the Taylor transverse mixing E_y = (0.058·H + 0.0065·B)·√(g·H·I) (docs/domain.md); None when
        the stretch has no width, depth or slope."""
        b, h, i = self.width_m, self.depth_m, self.slope
        if not (b and h and i) or b <= 0 or h <= 0 or i <= 0:
            return None
        e_y = (0.058 * h + 0.0065 * b) * math.sqrt(GRAVITY * h * i)
        ratio = min(max(bank_distance_m, 0.0), b / 2.0) / b
        inner = max(0.5 - ratio - 1.1 * (0.5 - ratio) ** 2, 0.0)
        return (0.11 + 0.7 * math.sqrt(inner)) * self.velocity_ms * b * b / e_y


@dataclass
class Reach:
    """The part of one river the pollution travels: from `start_m` (spill or confluence) to the
    mouth, split into stretches where the river's hydrology changes."""

    id: int
    code: str
    name: str
    velocity_ms: float
    flow_m3s: float
    dispersion_m2s: float
    length_m: float
    confluence_chainage_m: float | None
    start_m: float = 0.0
    stretches: list[Stretch] = field(default_factory=list)
    features: list[tuple] = field(default_factory=list)

    @property
    def area_m2(self) -> float:
        return self.flow_m3s / self.velocity_ms

    def stretch_at(self, chainage_m: float) -> Stretch:
        for stretch in self.stretches:
            if chainage_m < stretch.to_m:
                return stretch
        return self.stretches[-1]


def max_snap_m() -> float:
    """Farther than this from every river a spill gets 422 (TRACE_MAX_SNAP_M, default 2 km)."""
    return float(settings.TRACE_MAX_SNAP_M)


def season_of(when=None) -> str:
    """The season of `when`'s month (local time) per SEASON_MONTHS; months not listed are normal."""
    month = timezone.localtime(when).month if when is not None else timezone.localdate().month
    for season, months in settings.SEASON_MONTHS.items():
        if month in months:
            return season
    return "normal"


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


def _seasonal(row: list, season: str) -> tuple[float, float, float]:
    """(velocity, flow, dispersion) of a reach row of _PATH_SQL in `season` (normal values where
    the season has none; see RiverReach.hydraulics)."""
    flow, velocity, dispersion = row[2], row[3], row[4]
    offset = {"dry": 8, "wet": 11}.get(season)
    if offset is not None:
        flow = row[offset] if row[offset] is not None else flow
        velocity = row[offset + 1] if row[offset + 1] is not None else velocity
        dispersion = row[offset + 2] if row[offset + 2] is not None else dispersion
    return velocity, flow, dispersion


def _stretches(reach: Reach, rows: list[list], season: str, override: dict) -> list[Stretch]:
    """The river's path from start_m to its mouth as stretches: the hand-entered reaches (in the
    season's values), the river's own values in between. `override` replaces the hydraulics of
    every stretch of this river (a flood or a dry spell measured today)."""
    own = {name: getattr(reach, name) for name in _HYDRAULICS}
    stretches: list[Stretch] = []
    at = reach.start_m
    end = max(reach.length_m, reach.start_m)
    for row in rows:  # ordered by from_chainage_m, not overlapping (services.save_reach)
        from_m, to_m = row[0], row[1]
        if to_m <= at or from_m >= end:
            continue
        if from_m > at:
            stretches.append(Stretch(at, from_m, **own))
            at = from_m
        stretches.append(Stretch(at, min(to_m, end), *_seasonal(row, season), row[5], row[6], row[7]))
        at = min(to_m, end)
    if at < end or not stretches:
        stretches.append(Stretch(at, end, **own))
    for stretch in stretches:
        for name, value in override.items():
            setattr(stretch, name, float(value))
    return stretches


def _build_reaches(rows: list, overrides: dict[str, dict], season: str) -> list[Reach]:
    reaches = []
    for i, (_d, chainage_m, *columns, reach_rows, feature_rows) in enumerate(rows):
        reach = Reach(*columns)
        for name, value in (overrides.get(reach.code) or {}).items():
            setattr(reach, name, float(value))
        reach.start_m = min(chainage_m, reach.length_m) if i == 0 else rows[i - 1][9]
        reach.stretches = _stretches(reach, reach_rows or [], season, overrides.get(reach.code) or {})
        reach.features = [tuple(row) for row in feature_rows or []]
        reaches.append(reach)
    return reaches


def _reaches(river_id: int, chainage_m: float, overrides: dict[str, dict], season: str = "normal") -> list[Reach]:
    with connection.cursor() as cursor:
        cursor.execute(_PATH_SQL, {"river": river_id, "chainage": chainage_m})
        return _build_reaches(cursor.fetchall(), overrides, season)


def _snap_and_reaches(lon: float, lat: float, overrides: dict[str, dict], season: str) -> tuple[float, list[Reach]]:
    """snap() and _reaches() in one round trip: (snap distance, reaches); Unserviceable as snap()."""
    with connection.cursor() as cursor:
        cursor.execute(_TRACE_SQL, {"lon": lon, "lat": lat})
        rows = cursor.fetchall()
    limit = max_snap_m()
    if not rows or rows[0][0] > limit:
        raise Unserviceable(
            _("No river within %(limit).0f m of this point (nearest: %(nearest)s).")
            % {"limit": limit, "nearest": f"{rows[0][0]:.0f} m" if rows else _("none")}
        )
    return float(rows[0][0]), _build_reaches(rows, overrides, season)


def _features(reaches: list[Reach]) -> dict[int, list[tuple]]:
    return {reach.id: reach.features for reach in reaches}


def _significant(value: float, digits: int = 6) -> float:
    return float(f"{value:.{digits}g}")


class _Plume:
    """Accumulates distance, time and the variance in time along the path and evaluates a
    point on it; also where the current unmixed zone (spill or confluence) starts and how long
    it is."""

    def __init__(self, pollutant: Pollutant | None, mass_kg: float | None):
        self.pollutant = pollutant
        self.mass_g = mass_kg * 1000.0 if mass_kg is not None and pollutant is not None else None
        self.k_per_s = (pollutant.decay_per_day if pollutant else 0.0) / 86_400.0
        self.distance = self.seconds = self.variance_s2 = 0.0
        self.mixing_from_m = 0.0
        self.mixing_length_m: float | None = None

    def at(self, stretch: Stretch, length: float) -> tuple[float, float, float]:
        """Distance, travel time and σₜ² at `length` metres into `stretch` from where the plume
        now is."""
        length = max(length, 0.0)
        time = length / stretch.velocity_ms
        return (
            self.distance + length,
            self.seconds + time,
            self.variance_s2 + 2.0 * stretch.dispersion_m2s * time / stretch.velocity_ms**2,
        )

    def advance(self, stretch: Stretch, length: float) -> None:
        self.distance, self.seconds, self.variance_s2 = self.at(stretch, length)

    def start_mixing(self, stretch: Stretch, bank_distance_m: float = 0.0) -> None:
        self.mixing_from_m = self.distance
        self.mixing_length_m = stretch.mixing_length_m(bank_distance_m)

    def entry(
        self,
        *,
        kind,
        id,
        name,
        river: str,
        stretch: Stretch,
        length: float,
        water_class: str = "",
        receptor_type: str = "",
    ) -> dict:
        distance, seconds, variance = self.at(stretch, length)
        sigma_t = math.sqrt(variance)
        peak = None
        if self.mass_g is not None and distance >= NEAR_FIELD_M and variance > 0:
            decay = math.exp(-self.k_per_s * seconds)
            peak = self.mass_g / (stretch.flow_m3s * math.sqrt(2.0 * math.pi) * sigma_t) * decay
        limit = None
        if self.pollutant is not None and (water_class or receptor_type):
            limit = self.pollutant.limit_for(
                water_class, drinking_water=receptor_type == RiverFeature.ReceptorType.DRINKING_WATER
            )
        mixing = self.mixing_length_m if self.mixing_length_m is not None else NEAR_FIELD_M
        fully_mixed = distance >= NEAR_FIELD_M and distance - self.mixing_from_m >= mixing
        item = {
            "kind": kind,
            "id": id,
            "name": name,
            "river": river,
            "distance_m": round(distance, 1),
            "arrival_hours": round(seconds / 3600.0, 4),
            "front_hours": round((seconds - 2.0 * sigma_t) / 3600.0, 4),
            "tail_hours": round((seconds + 2.0 * sigma_t) / 3600.0, 4),
            "peak_mg_l": _significant(peak) if peak is not None else None,
            "limit_mg_l": limit,
            "exceeds": (peak > limit) if peak is not None and limit is not None else None,
            "fully_mixed": fully_mixed,
            "mixing_length_m": round(self.mixing_length_m, 1) if self.mixing_length_m is not None else None,
            # Q·4σₜ: the water that carries the plume past this point, to hold at a space.
            "plume_volume_m3": round(stretch.flow_m3s * 4.0 * sigma_t, 1),
        }
        if kind == RiverFeature.Kind.RECEPTOR:
            item["receptor_type"] = receptor_type
        return item


def _space_fields(item: dict, setup_minutes: int | None, capacity: float | None, elapsed_minutes: float) -> None:
    """Set-up, capacity and time left at a space, counted from now (`elapsed_minutes` after the
    spill): it qualifies only when its front arrives after now + its set-up time."""
    item["setup_minutes"], item["capacity_m3"] = setup_minutes, capacity
    item["setup_unknown"] = setup_minutes is None
    minutes_left = item["front_hours"] * 60.0 - elapsed_minutes
    item["too_late"] = minutes_left < (setup_minutes or 0)
    if capacity is None:
        item["capacity_ok"], item["capacity_short_m3"] = None, None
    else:
        short = item["plume_volume_m3"] - capacity
        item["capacity_ok"] = short <= 0
        item["capacity_short_m3"] = round(max(short, 0.0), 1)


def trace(
    lon: float,
    lat: float,
    *,
    pollutant: Pollutant | None = None,
    mass_kg: float | None = None,
    overrides: dict[str, dict] | None = None,
    season: str | None = None,
    elapsed_minutes: float = 0.0,
    bank_distance_m: float = 0.0,
    with_treatment: bool = True,
) -> dict:
    """The downstream timeline of a spill at (lon, lat). Reads only; raises Unserviceable (422)
    when no river is near enough. `overrides` maps river codes to velocity_ms/flow_m3s (and
    dispersion_m2s) for every reach of that river; `season` (dry/normal/wet, default by month)
    picks the reaches' seasonal values; `elapsed_minutes` is the time since the spill when the
    advice is asked (an interception space must be ready before the front, counted from now);
    `bank_distance_m` the spill's distance from the nearer bank (mixing length)."""
    season = season or season_of()
    snap_distance, reaches = _snap_and_reaches(lon, lat, overrides or {}, season)
    features = _features(reaches)
    space_locations: dict[int, tuple[float, float]] = {}
    plume = _Plume(pollutant, mass_kg)
    plume.start_mixing(reaches[0].stretch_at(reaches[0].start_m), bank_distance_m)
    downstream: list[dict] = []
    for i, reach in enumerate(reaches):
        rows = features.get(reach.id, [])
        index = 0
        at_m = reach.start_m  # where the plume is on this river
        for number, stretch in enumerate(reach.stretches):
            last = number == len(reach.stretches) - 1
            while index < len(rows) and (last or rows[index][4] < stretch.to_m):
                fid, kind, name, _river, feature_m, water_class, setup_minutes, capacity, receptor_type, x, y = rows[
                    index
                ]
                index += 1
                item = plume.entry(
                    kind=kind,
                    id=fid,
                    name=name,
                    river=reach.code,
                    stretch=stretch,
                    length=feature_m - at_m,
                    water_class=water_class,
                    receptor_type=receptor_type,
                )
                if kind == RiverFeature.Kind.SPACE:
                    _space_fields(item, setup_minutes, capacity, elapsed_minutes)
                    space_locations[fid] = (x, y)
                downstream.append(item)
            plume.advance(stretch, stretch.to_m - at_m)
            at_m = stretch.to_m
        if i + 1 < len(reaches):
            entered = reaches[i + 1]
            first = entered.stretch_at(entered.start_m)
            # The tributary's water hugs one bank below the confluence: a new unmixed zone.
            plume.start_mixing(first)
            # Evaluated on the river entered: the mixed flow of the larger river dilutes.
            downstream.append(
                plume.entry(
                    kind="confluence", id=entered.id, name=entered.name, river=entered.code, stretch=first, length=0
                )
            )
    first = reaches[0]
    with_mass = plume.mass_g is not None
    crossings = boundaries.crossings(reaches, _evaluator(reaches, pollutant, mass_kg), with_mass=with_mass)
    result = {
        "river": {"id": first.id, "code": first.code, "name": first.name},
        "snap_distance_m": round(snap_distance, 1),
        "chainage_m": round(first.start_m, 1),
        "pollutant": pollutant.code if pollutant else None,
        "mass_kg": mass_kg,
        "season": season,
        "elapsed_minutes": elapsed_minutes,
        "hydraulics": [
            {
                "river": reach.code,
                "from_chainage_m": round(s.from_m, 1),
                "to_chainage_m": round(s.to_m, 1),
                "flow_m3s": s.flow_m3s,
                "velocity_ms": s.velocity_ms,
                "dispersion_m2s": s.dispersion_m2s,
            }
            for reach in reaches
            for s in reach.stretches
        ],
        "downstream": downstream,
        "recommended_space": recommend_space(
            downstream, with_mass=with_mass, pollutant_has_limit=pollutant.has_limit if pollutant else True
        ),
        "boundary_crossings": crossings,
        "treatment": None,
    }
    if with_treatment:
        hooks.extend_trace(
            result, pollutant=pollutant, mass_kg=mass_kg, location=(lon, lat), space_locations=space_locations
        )
    return result


def _evaluator(reaches: list[Reach], pollutant: Pollutant | None, mass_kg: float | None):
    """The plume at (reach index, metres into that reach), as the downstream entries have it,
    against the class III limit: what plans.boundaries reports at a computed crossing."""

    def evaluate(index: int, length: float) -> dict:
        plume = _Plume(pollutant, mass_kg)
        for reach in reaches[:index]:
            at = reach.start_m
            for stretch in reach.stretches:
                plume.advance(stretch, stretch.to_m - at)
                at = stretch.to_m
        reach = reaches[index]
        target, at = reach.start_m + length, reach.start_m
        for stretch in reach.stretches:
            if target < stretch.to_m or stretch is reach.stretches[-1]:
                break
            plume.advance(stretch, stretch.to_m - at)
            at = stretch.to_m
        return plume.entry(
            kind="boundary", id=None, name="", river=reach.code, stretch=stretch, length=target - at, water_class="III"
        )

    return evaluate


def first_threatened(downstream: list[dict], *, with_mass: bool, pollutant_has_limit: bool = True) -> dict | None:
    """The first receptor plans.threat counts as threatened (predicted or potential)."""
    for entry in downstream:
        if entry["kind"] != RiverFeature.Kind.RECEPTOR:
            continue
        basis = threat_basis(
            entry,
            receptor_type=entry.get("receptor_type", ""),
            with_mass=with_mass,
            pollutant_has_limit=pollutant_has_limit,
        )
        if basis is not None:
            return entry
    return None


def recommend_space(downstream: list[dict], *, with_mass: bool, pollutant_has_limit: bool = True) -> dict | None:
    """The emergency space to set up, among those above the first threatened receptor (with no
    threatened receptor, all downstream) that can be ready before the front, counted from now:
    the nearest that holds the plume; when none in time holds it, the in-time space with the
    largest capacity (its `capacity_short_m3` says by how much). A space with no set-up time is
    considered only when no space with one qualifies."""
    threatened = first_threatened(downstream, with_mass=with_mass, pollutant_has_limit=pollutant_has_limit)
    limit = threatened["distance_m"] if threatened is not None else math.inf
    in_time = [
        e
        for e in downstream
        if e["kind"] == RiverFeature.Kind.SPACE and e["distance_m"] < limit and not e.get("too_late", False)
    ]
    for candidates in (
        [e for e in in_time if not e.get("setup_unknown")],
        [e for e in in_time if e.get("setup_unknown")],
    ):
        if not candidates:
            continue
        holding = next((e for e in candidates if e.get("capacity_ok") is True), None)
        if holding is not None:
            return holding
        # Nobody holds the whole plume: the largest capacity does the most (unknown counts as 0;
        # ties go to the nearest).
        return max(candidates, key=lambda e: (e.get("capacity_m3") or 0.0, -e["distance_m"]))
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
    season: str | None = None,
) -> dict | None:
    """What the model expects at `point` (lon, lat) `seconds_after` the spill at (lon, lat): the
    distance along the river, the peak's arrival and the concentration then. Used to show a
    field sample beside the prediction. None when the point is not downstream of the spill.

    Within the spill's own stretch this is C(x, t) of docs/domain.md exactly; past a change of
    hydraulics (reach or confluence) the cloud is treated as frozen (Gaussian in time around the
    peak's arrival with the accumulated σₜ), the same approximation the peak formula makes."""
    river_id, _snap_m, chainage = snap(lon, lat)
    target_river, _target_snap_m, target_chainage = snap(*point)
    reaches = _reaches(river_id, chainage, overrides or {}, season or season_of())
    plume = _Plume(pollutant, mass_kg)
    found = None
    for index, reach in enumerate(reaches):
        at_m = reach.start_m
        for stretch in reach.stretches:
            if (
                reach.id == target_river
                and reach.start_m <= target_chainage
                and (target_chainage < stretch.to_m or stretch is reach.stretches[-1])
            ):
                length = target_chainage - at_m
                distance, peak_seconds, variance = plume.at(stretch, length)
                # C(x, t) exactly only while the plume has known one velocity and dispersion.
                single = index == 0 and stretch is reach.stretches[0]
                found = stretch
                break
            plume.advance(stretch, stretch.to_m - at_m)
            at_m = stretch.to_m
        if found is not None:
            break
    else:
        return None
    stretch = found
    result = {
        "distance_m": round(distance, 1),
        "arrival_hours": round(peak_seconds / 3600.0, 4),
        "predicted_mg_l": None,
    }
    if plume.mass_g is None or distance < NEAR_FIELD_M or seconds_after <= 0:
        return result
    decay = math.exp(-plume.k_per_s * seconds_after)
    if single:
        e, u = stretch.dispersion_m2s, stretch.velocity_ms
        spread = 4.0 * e * seconds_after
        value = (
            plume.mass_g
            / (stretch.area_m2 * math.sqrt(math.pi * spread))
            * math.exp(-((length - u * seconds_after) ** 2) / spread)
        )
    else:
        sigma_t = math.sqrt(variance)
        peak = plume.mass_g / (stretch.flow_m3s * math.sqrt(2.0 * math.pi) * sigma_t)
        value = peak * math.exp(-((seconds_after - peak_seconds) ** 2) / (2.0 * sigma_t**2))
    result["predicted_mg_l"] = _significant(value * decay)
    return result
