"""River networks in and out as (QGIS-style) GeoJSON FeatureCollections.

An import is one transaction: the first bad feature stops it, reported by index and field,
and nothing of the file stays behind.
"""

from __future__ import annotations

import json

from django.contrib.gis.gdal import GDALException
from django.contrib.gis.geos import GEOSException, GEOSGeometry, LineString, MultiLineString
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import geo
from ..models import River, RiverReach
from .reaches import REACH_FIELDS, SEASONAL, flatten_seasons, reach_properties, replace_reaches
from .rivers import save_river

NUMBERS = ("velocity_ms", "flow_m3s", "dispersion_m2s")
TEXTS = ("code", "name", "name_en")


class RiverImportError(Exception):
    def __init__(self, index: int, field: str, message: str):
        super().__init__(f"feature index {index} (#{index + 1} in the file): {field}: {message}")
        self.index, self.field, self.message = index, field, message


def _geometry(index: int, raw) -> LineString:
    if not isinstance(raw, dict):
        raise RiverImportError(index, "geometry", _("missing"))
    try:
        geometry = GEOSGeometry(json.dumps(raw))
    except (GDALException, GEOSException, ValueError, TypeError) as exc:
        raise RiverImportError(index, "geometry", _("not a valid GeoJSON line (%s)") % exc) from None
    # QGIS exports often carry Z (elevation): dropped, plans store 2-D lon/lat.
    geometry = geo.flat(geometry)
    # QGIS writes lines as MultiLineString even with one part.
    if isinstance(geometry, MultiLineString):
        merged = geometry.merged
        if not isinstance(merged, LineString):
            raise RiverImportError(index, "geometry", _("a river must be one continuous line"))
        geometry = merged
    if not isinstance(geometry, LineString):
        raise RiverImportError(index, "geometry", _("expected a LineString, got %s") % geometry.geom_type)
    geometry.srid = 4326
    return geometry


def _fields(index: int, feature) -> dict:
    if not isinstance(feature, dict) or feature.get("type") != "Feature":
        raise RiverImportError(index, "type", _("not a GeoJSON Feature"))
    props = feature.get("properties") or {}
    fields = {"geometry": _geometry(index, feature.get("geometry"))}
    for name in TEXTS:
        value = props.get(name)
        if value in (None, "") and name != "name_en":
            raise RiverImportError(index, name, _("required"))
        fields[name] = "" if value is None else str(value).strip()
    for name in NUMBERS:
        try:
            fields[name] = float(props.get(name))
        except (TypeError, ValueError):
            raise RiverImportError(index, name, _("a number is required")) from None
    fields["outlet"] = props.get("outlet") or None
    fields["reaches"] = _reach_rows(index, props.get("reaches"))
    return fields


def _reach_rows(index: int, raw) -> list[dict] | None:
    """`reaches`: a list of {from_chainage_m, to_chainage_m, flow_m3s, ..., dry: {...}, wet: {...}}
    (as exported); absent or null leaves the river's reaches as they are, [] removes them."""
    if raw is None:
        return None
    if not isinstance(raw, list) or not all(isinstance(row, dict) for row in raw):
        raise RiverImportError(index, "reaches", _("a list of objects is required"))
    rows = []
    for number, row in enumerate(raw):
        for season in ("dry", "wet"):
            if row.get(season) is not None and not isinstance(row[season], dict):
                raise RiverImportError(index, f"reaches[{number}].{season}", _("an object is required"))
        fields = flatten_seasons({k: v for k, v in row.items() if k in REACH_FIELDS | {"dry", "wet"}})
        for name, value in fields.items():
            required = name in ("from_chainage_m", "to_chainage_m", *SEASONAL)
            if value is None and not required:
                continue
            try:
                fields[name] = float(value)
            except (TypeError, ValueError):
                raise RiverImportError(index, f"reaches[{number}].{name}", _("a number is required")) from None
        rows.append(fields)
    return rows


@transaction.atomic
def import_rivers(collection: dict) -> tuple[int, int]:
    """Create or update (by code) every river of the collection; outlets may name rivers of the
    same file or already stored. Returns (created, updated)."""
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list):
        raise RiverImportError(0, "features", _("not a GeoJSON FeatureCollection"))
    rows = [_fields(index, feature) for index, feature in enumerate(features)]
    codes = [row["code"] for row in rows]
    for index, code in enumerate(codes):
        if codes.index(code) != index:
            raise RiverImportError(index, "code", _("“%s” appears twice in the file") % code)
    known = set(codes) | set(River.objects.values_list("code", flat=True))
    for index, row in enumerate(rows):
        if row["outlet"] is not None and row["outlet"] not in known:
            raise RiverImportError(index, "outlet", _("unknown river “%s”") % row["outlet"])

    created = updated = 0
    saved: dict[str, River] = {}
    # First the courses (outlets cleared), then the outlets, so a tributary listed before its
    # outlet still finds the outlet's new course when its confluence is measured.
    for index, row in enumerate(rows):
        existing = River.objects.filter(code=row["code"]).first()
        fields = {k: v for k, v in row.items() if k not in ("outlet", "reaches")}
        saved[row["code"]] = _save(index, existing, {**fields, "outlet": None})
        created, updated = created + (existing is None), updated + (existing is not None)
    for index, row in enumerate(rows):
        if row["outlet"] is not None:
            outlet = saved.get(row["outlet"]) or River.objects.get(code=row["outlet"])
            _save(index, saved[row["code"]], {"outlet": outlet})
    for index, row in enumerate(rows):
        if row["reaches"] is not None:
            try:
                replace_reaches(saved[row["code"]], row["reaches"])
            except ValidationError as exc:
                field, messages = next(iter(exc.message_dict.items()))
                raise RiverImportError(index, f"reaches.{field}", "; ".join(messages)) from None
    return created, updated


def _save(index: int, river: River | None, fields: dict) -> River:
    try:
        return save_river(river=river, **fields)
    except ValidationError as exc:
        field, messages = (
            next(iter(exc.message_dict.items())) if hasattr(exc, "error_dict") else ("river", exc.messages)
        )
        raise RiverImportError(index, field, "; ".join(messages)) from None


def export_rivers(rivers=None) -> dict:
    """A FeatureCollection QGIS opens as-is (RFC 7946: WGS84 lon/lat, no crs member)."""
    rivers = River.objects.select_related("outlet").order_by("code") if rivers is None else rivers
    reaches: dict[int, list[dict]] = {}
    for reach in RiverReach.objects.filter(river__in=rivers).order_by("river_id", "from_chainage_m"):
        reaches.setdefault(reach.river_id, []).append(reach_properties(reach))
    return {
        "type": "FeatureCollection",
        "name": "rivers",
        "features": [
            {
                "type": "Feature",
                "id": river.pk,
                "geometry": json.loads(river.geometry.geojson),
                "properties": {
                    "code": river.code,
                    "name": river.name,
                    "name_en": river.name_en,
                    "velocity_ms": river.velocity_ms,
                    "flow_m3s": river.flow_m3s,
                    "dispersion_m2s": river.dispersion_m2s,
                    "outlet": river.outlet.code if river.outlet else None,
                    "reaches": reaches.get(river.pk, []),
                    # Computed on import; exported for reading in QGIS, ignored when re-imported.
                    "length_m": round(river.length_m, 1),
                    "confluence_chainage_m": None
                    if river.confluence_chainage_m is None
                    else round(river.confluence_chainage_m, 1),
                },
            }
            for river in rivers
        ],
    }
