"""Administrative boundaries a plume crosses, computed from the areas' outlines.

Two halves:
- `locate_river(river)` (when a river's course or the outlines change): sample the course every
  SAMPLE_M, find the area each sample lies in (the finest loaded: county, else prefecture, else
  province) and store the stretches (RiverAreaStretch). A river that runs ON a province line
  (黄河 between Shanxi and Inner Mongolia / Shaanxi: the line is the river's middle) is detected
  where its course stays within BANK_DEG of another province for at least MIN_BANK_RUN_M: there
  the water is shared, the own side is kept as the stretch and the other side is stored as a
  `bank` stretch. The own side is the coordinating department's province (the bureau using this
  system), else the side the run started on.
- `crossings(reaches, evaluate, with_mass)` (in every trace): walk the stored stretches along the
  path of reaches and report each line the plume reaches, once, at its highest level (a
  province line is also a prefecture and a county line). Two indexed queries, no geometry.

A crossing is located at the first sample beyond the line (within SAMPLE_M of it). On a
boundary river the province crossing is at the spill itself (distance 0 when the spill is on it).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence

from django.contrib.gis.geos import Point, Polygon
from django.db import connection, transaction

from backend.directory.models import AdminArea, Department

from .models import River, RiverAreaStretch

SAMPLE_M = 100.0  # where a crossing is placed: within this of the line
BANK_DEG = 0.01  # ~0.9–1.1 km here: a course this close to another province runs along its line
MIN_BANK_RUN_M = 5_000.0  # ...for at least this long (a river crossing a line passes in ~2 km)
LEVELS = (AdminArea.Level.PROVINCE, AdminArea.Level.PREFECTURE, AdminArea.Level.COUNTY)
_DEPTH = {level: depth for depth, level in enumerate(LEVELS)}

# --- precomputation (on save) -------------------------------------------------------------------


def _haversine_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_008.8 * math.asin(math.sqrt(min(1.0, h)))


def _samples(coords: Sequence[tuple[float, float]], length_m: float) -> list[tuple[float, float, float]]:
    """(chainage, lon, lat) every ~SAMPLE_M along the course. Spherical segment lengths are
    scaled to the stored geodesic length, so chainages agree with the features' (< 0.1 %)."""
    segments = [_haversine_m(a, b) for a, b in zip(coords, coords[1:], strict=False)]
    total = sum(segments) or 1.0
    scale = length_m / total if length_m else 1.0
    samples, start = [], 0.0
    for (a, b), length in zip(zip(coords, coords[1:], strict=False), segments, strict=False):
        steps = max(1, math.ceil(length / SAMPLE_M))
        for step in range(steps):
            t = step / steps
            samples.append(((start + length * t) * scale, a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t))
        start += length
    samples.append((total * scale, *coords[-1]))
    return samples


class _Areas:
    """Levels and parents of the loaded areas (a few dozen rows), and their codes and names."""

    def __init__(self, rows: dict[int, tuple] | None = None):
        if rows is None:
            fields = ("id", "level", "parent", "code", "name")
            rows = {pk: tuple(rest) for pk, *rest in AdminArea.objects.values_list(*fields)}
        self.rows = rows  # {id: (level, parent id, code, name)}

    def depth(self, pk: int) -> int:
        return _DEPTH.get(self.rows[pk][0], 0)

    def chain(self, pk: int | None) -> dict[str, int]:
        """{level: area id} of the area and its ancestors."""
        chain, seen = {}, set()
        while pk is not None and pk not in seen and pk in self.rows:
            seen.add(pk)
            level, parent, *_named = self.rows[pk]
            chain.setdefault(level, pk)
            pk = parent
        return chain

    def province(self, pk: int | None) -> int | None:
        return self.chain(pk).get(AdminArea.Level.PROVINCE, pk)


def _home_province(areas: _Areas) -> int | None:
    area = Department.objects.filter(is_coordinator=True).values_list("area_id", flat=True).first()
    return areas.province(area) if area else None


def _finest(candidates: set[int], areas: _Areas, previous: int | None) -> int | None:
    if not candidates:
        return None
    deepest = max(areas.depth(pk) for pk in candidates)
    best = [pk for pk in candidates if areas.depth(pk) == deepest]
    return previous if previous in best else min(best)


def _stretches(samples, inside, near, areas: _Areas) -> list[tuple[int, float, float, bool]]:
    """[(area, start, end, bank)] from the per-sample area sets."""
    home = _home_province(areas)
    own: list[int | None] = []
    for index in range(len(samples)):
        own.append(_finest(inside[index], areas, own[-1] if own else None) or (own[-1] if own else None))
    # Per sample: {province: finest area of it within BANK_DEG}, the own one included.
    sides: list[dict[int, int]] = []
    for index in range(len(samples)):
        by_province: dict[int, set[int]] = {}
        for pk in near[index] | inside[index]:
            by_province.setdefault(areas.province(pk), set()).add(pk)
        own_here = own[index]
        sides.append(
            {
                province: (own_here if own_here in members else _finest(members, areas, None))
                for province, members in by_province.items()
            }
        )
    banks: list[dict[int, int]] = [{} for _ in samples]
    index = 0
    while index < len(samples):
        if len(sides[index]) < 2:
            index += 1
            continue
        end = index
        while end + 1 < len(samples) and len(sides[end + 1]) >= 2:
            end += 1
        if samples[end][0] - samples[index][0] >= MIN_BANK_RUN_M:
            start_side = areas.province(own[index])
            for k in range(index, end + 1):
                side = home if home in sides[k] else start_side
                if side not in sides[k]:
                    side = areas.province(own[k])
                own[k] = sides[k].get(side, own[k])
                banks[k] = {p: pk for p, pk in sides[k].items() if p != side}
        index = end + 1
    rows: list[tuple[int, float, float, bool]] = []
    _runs(rows, [(s[0], pk) for s, pk in zip(samples, own, strict=True)], bank=False)
    for province in {p for b in banks for p in b}:
        _runs(rows, [(s[0], b.get(province)) for s, b in zip(samples, banks, strict=True)], bank=True)
    return rows


def _runs(rows: list, values: list[tuple[float, int | None]], *, bank: bool) -> None:
    start, current = None, None
    for chainage, pk in values + [(values[-1][0], None)]:
        if pk != current:
            if current is not None:
                rows.append((current, start, chainage, bank))
            start, current = chainage, pk


@transaction.atomic
def locate_river(river: River) -> int:
    """Recompute and store the river's area stretches; returns how many."""
    RiverAreaStretch.objects.filter(river=river).delete()
    coords = [(x, y) for x, y, *_z in river.geometry.coords]
    if len(coords) < 2:
        return 0
    samples = _samples(coords, river.length_m)
    inside: list[set[int]] = [set() for _ in samples]
    near: list[set[int]] = [set() for _ in samples]
    # The outlines around the course (bounding boxes, on the spatial index), tested point by
    # point with GEOS prepared geometries: far cheaper than a point-in-polygon query per sample.
    xmin, ymin, xmax, ymax = river.geometry.extent
    window = Polygon.from_bbox((xmin - BANK_DEG, ymin - BANK_DEG, xmax + BANK_DEG, ymax + BANK_DEG))
    window.srid = 4326
    points = [Point(lon, lat, srid=4326) for _chainage, lon, lat in samples]
    for area in AdminArea.objects.filter(boundary__bboverlaps=window).only("id", "boundary"):
        outline = area.boundary.intersection(window)
        if outline.empty:
            continue
        within = outline.prepared
        nearby = outline.buffer(BANK_DEG, 2).prepared
        for index, point in enumerate(points):
            if within.covers(point):
                inside[index].add(area.id)
            elif nearby.covers(point):
                near[index].add(area.id)
    if not any(inside):
        return 0
    rows = _stretches(samples, inside, near, _Areas())
    RiverAreaStretch.objects.bulk_create(
        RiverAreaStretch(river=river, area_id=area, start_m=start, end_m=end, bank=bank)
        for area, start, end, bank in rows
    )
    return len(rows)


def locate_all_rivers() -> None:
    """After the outlines changed (directory.signals.areas_changed)."""
    for river in River.objects.all():
        locate_river(river)


# --- per trace ------------------------------------------------------------------------------------


# The stretches of the path's rivers with each area's chain (county → prefecture → province)
# and the external bureaus answering for each: the one query a trace makes here.
_BUREAUS = """(SELECT coalesce(json_agg(json_build_object('code', d.code, 'name', d.name)
                ORDER BY d.sort_order, d.code), '[]'::json)
         FROM directory_department AS d WHERE d.area_id = {0}.id AND d.kind = 'external' AND d.active)"""
_STRETCHES_SQL = f"""
SELECT s.river_id, s.start_m, s.end_m, s.bank,
       a.id, a.level, a.parent_id, a.code, a.name, {_BUREAUS.format("a")},
       p.id, p.level, p.parent_id, p.code, p.name, {_BUREAUS.format("p")},
       g.id, g.level, g.parent_id, g.code, g.name, {_BUREAUS.format("g")}
FROM plans_riverareastretch AS s
JOIN directory_adminarea AS a ON a.id = s.area_id
LEFT JOIN directory_adminarea AS p ON p.id = a.parent_id
LEFT JOIN directory_adminarea AS g ON g.id = p.parent_id
WHERE s.river_id = ANY(%s)
"""


def _load(river_ids: list[int]) -> tuple[list[tuple], _Areas, dict[int, list[dict]]]:
    rows, known, bureaus = [], {}, {}
    with connection.cursor() as cursor:
        cursor.execute(_STRETCHES_SQL, [river_ids])
        for river, start, end, bank, *chain in cursor.fetchall():
            for offset in range(0, len(chain), 6):
                pk, level, parent, code, name, notify = chain[offset : offset + 6]
                if pk is not None:
                    known[pk] = (level, parent, code, name)
                    bureaus[pk] = json.loads(notify) if isinstance(notify, str) else notify
            rows.append((river, chain[0], start, end, bank))
    return rows, _Areas(known), bureaus


def crossings(reaches: Sequence, evaluate: Callable[[int, float], dict], *, with_mass: bool) -> list[dict]:
    """The administrative lines the plume reaches along `reaches` (objects with id, code,
    start_m, length_m, in downstream order), in downstream order. `evaluate(i, metres into
    reach i)` gives the plume there as the trace's downstream entries have it (distance_m,
    arrival_hours, front_hours, peak_mg_l, limit_mg_l at class III)."""
    if not reaches:
        return []
    rows, areas, bureaus = _load([r.id for r in reaches])
    if not rows:
        return []
    info = {pk: (row[2], row[3]) for pk, row in areas.rows.items()}
    by_river: dict[int, list[tuple]] = {}
    for river, area, start, end, bank in sorted(rows, key=lambda r: (r[2], not r[4])):
        by_river.setdefault(river, []).append((area, start, end, bank))
    events: list[tuple[int, float, int, bool]] = []  # (reach index, metres into it, area, bank)
    for index, reach in enumerate(reaches):
        start = reach.start_m
        for area, begin, end, bank in by_river.get(reach.id, []):
            if end < start or (end == start and begin < start):
                continue
            events.append((index, max(begin, start) - start, area, bank))
    events.sort(key=lambda e: (e[0], e[1], e[3]))
    reached: set[int] = set()
    current: dict[str, int] = {}  # the own side's area at each level so far
    found: list[tuple[str, int | None, int, int, float, int]] = []
    for index, length, area, bank in events:
        chain = areas.chain(area)
        if not current:
            if not bank:  # the spill's own area: nothing crossed yet
                current.update(chain)
                reached.update(chain.values())
            continue
        for level in LEVELS:
            target = chain.get(level)
            if target is None or target in reached:
                continue
            if level == AdminArea.Level.COUNTY and current.get(AdminArea.Level.COUNTY) is None:
                break  # a county line where the own side has no county outline: not known
            found.append((level, current.get(level), target, index, length, area))
            break
        reached.update(chain.values())
        if not bank:
            current.update(chain)
    results = []
    for level, from_id, to_id, index, length, finest in found:
        plume = evaluate(index, length)
        # At a province line also the prefecture on the other side (same level as the city bureau).
        across = areas.chain(finest).get(AdminArea.Level.PREFECTURE) if level == AdminArea.Level.PROVINCE else None
        results.append(
            _crossing(level, from_id, to_id, across, reaches[index].code, plume, info, bureaus, with_mass=with_mass)
        )
    return results


def _crossing(level, from_id, to_id, across, river_code, plume, info, bureaus, *, with_mass: bool) -> dict:
    peak, limit = plume.get("peak_mg_l"), plume.get("limit_mg_l")
    if not with_mass:
        basis = "potential"
    elif peak is None or limit is None or peak > limit:
        # No limit (acids, alkalis): always predicted. No peak with a mass: within the near field
        # of the spill, where the water is not yet mixed and exceeds any 1-D estimate.
        basis = "predicted"
    else:
        basis = None
    exceeds = (peak > limit) if peak is not None and limit is not None else None
    if level == AdminArea.Level.COUNTY:
        notify = []  # a county line inside the prefecture: the city bureau handles it
    else:
        notify = list(bureaus.get(to_id, []))
        if across is not None:
            notify += [b for b in bureaus.get(across, []) if b not in notify]
    return {
        "level": str(level),
        "from_area": _named(from_id, info),
        "to_area": _named(to_id, info),
        "river": river_code,
        "distance_m": plume["distance_m"],
        "arrival_hours": plume["arrival_hours"],
        "front_hours": plume["front_hours"],
        "peak_mg_l": peak,
        "limit_mg_l": limit,
        "exceeds": exceeds,
        "basis": basis,
        "notify": notify,
    }


def _named(pk: int | None, info: dict) -> dict | None:
    if pk is None:
        return None
    code, name = info[pk]
    return {"code": code, "name": name}
