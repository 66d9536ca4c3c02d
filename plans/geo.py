"""Geodesic measurements done by PostGIS.

ST_LineLocatePoint works in degrees on geometry(4326) (and PostGIS 3.3 has no geography
version). Degrees are not square away from the equator (at 38.5° N a degree of longitude is
0.78 of a degree of latitude), so the foot of a point beside a diagonal reach would slide
along the river. The point is therefore located in the UTM zone of the point (conformal:
true perpendiculars; Xinzhou lies in zone 49N, EPSG:32649), the substring up to it is cut
there, and its length is measured back in WGS84 as geography (spheroid). Never degrees × a
constant.
"""

from __future__ import annotations

from django.contrib.gis.geos import GEOSGeometry, WKBWriter
from django.db import connection


def utm_srid_sql(point: str) -> str:
    """SQL for the EPSG code of the WGS84 UTM zone containing `point` (326zz north, 327zz south)."""
    return f"(32600 + floor((ST_X({point}) + 180) / 6)::int + 1 + CASE WHEN ST_Y({point}) < 0 THEN 100 ELSE 0 END)"


def chainage_sql(line: str, point: str) -> str:
    """SQL for the geodesic distance in metres from the start of `line` to the foot of `point`."""
    srid = utm_srid_sql(point)
    local = f"ST_Transform({line}, {srid})"
    fraction = f"ST_LineLocatePoint({local}, ST_Transform({point}, {srid}))"
    return f"ST_Length(ST_Transform(ST_LineSubstring({local}, 0, {fraction}), 4326)::geography)"


# Chainage and offset of a point on a line, both passed as EWKT.
_LOCATE_SQL = f"""
SELECT {chainage_sql("q.l", "q.p")}, ST_Distance(q.l::geography, q.p::geography)
FROM (SELECT ST_GeomFromEWKT(%s) AS l, ST_GeomFromEWKT(%s) AS p) AS q
"""

# Recompute every stored chainage that depends on one river's course.
RELOCATE_FEATURES_SQL = f"""
UPDATE plans_riverfeature AS f
SET chainage_m = {chainage_sql("r.geometry", "f.location")},
    offset_m = ST_Distance(r.geometry::geography, f.location::geography)
FROM plans_river AS r
WHERE r.id = f.river_id AND r.id = %s
"""
RELOCATE_CONFLUENCES_SQL = f"""
UPDATE plans_river AS t
SET confluence_chainage_m = {chainage_sql("o.geometry", "ST_EndPoint(t.geometry)")}
FROM plans_river AS o
WHERE o.id = t.outlet_id AND o.id = %s
"""


def flat(geometry: GEOSGeometry) -> GEOSGeometry:
    """The geometry without Z (QGIS exports often carry heights): plans store 2-D lon/lat, and
    elevation plays no part in chainage or tracing. Other geometries are returned as they are."""
    if not geometry.hasz:
        return geometry
    writer = WKBWriter()
    writer.outdim = 2
    return GEOSGeometry(writer.write(geometry), srid=geometry.srid)


def length_m(line: GEOSGeometry) -> float:
    with connection.cursor() as cursor:
        cursor.execute("SELECT ST_Length(ST_GeomFromEWKT(%s)::geography)", [line.ewkt])
        return float(cursor.fetchone()[0])


def locate(line: GEOSGeometry, point: GEOSGeometry) -> tuple[float, float]:
    """(chainage in metres from the line's start, distance of the point from the line in metres)."""
    with connection.cursor() as cursor:
        cursor.execute(_LOCATE_SQL, [line.ewkt, point.ewkt])
        chainage, offset = cursor.fetchone()
    return float(chainage), float(offset)


def relocate_dependents(river_id: int) -> None:
    """After a river's course changes: its features' chainages and its tributaries' confluences."""
    with connection.cursor() as cursor:
        cursor.execute(RELOCATE_FEATURES_SQL, [river_id])
        cursor.execute(RELOCATE_CONFLUENCES_SQL, [river_id])
