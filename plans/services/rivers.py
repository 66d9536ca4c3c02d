"""Rivers and their features: validate, store, and keep every derived chainage in step."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry, LineString, MultiLineString, Point
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from .. import boundaries, geo
from ..models import River, RiverFeature
from .deleting import delete_or_refuse

RIVER_FIELDS = {"code", "name", "name_en", "geometry", "velocity_ms", "flow_m3s", "dispersion_m2s", "outlet"}

# Kind-specific columns: what each kind may carry. All are optional (the issue lists them as
# attributes; a field survey often knows a space's set-up time before its type): only kind, name,
# river and location are required. Values given are still checked (choices, capacity ≥ 0).
KIND_FIELDS = {
    RiverFeature.Kind.SECTION: {"level", "water_class"},
    RiverFeature.Kind.RECEPTOR: {"receptor_type", "water_class", "serves", "boundary", "downstream_jurisdiction"},
    RiverFeature.Kind.SPACE: {"space_type", "capacity_m3", "setup_minutes", "possible_measures"},
    RiverFeature.Kind.RISK_SOURCE: {"source_type", "risk_grade", "hazardous_substances"},
}
ALL_KIND_FIELDS = set().union(*KIND_FIELDS.values())
FEATURE_FIELDS = {"kind", "river", "name", "location", "description"} | ALL_KIND_FIELDS
LIST_FIELDS = ("possible_measures", "hazardous_substances")
_EMPTY = {"capacity_m3": None, "setup_minutes": None, "downstream_jurisdiction": None}


def max_offset_m() -> float:
    """How far from its river a feature (or a tributary's mouth) may lie: beyond this it is on
    another river or the coordinates are wrong (PLANS_MAX_OFFSET_M, default 10 km)."""
    return float(settings.PLANS_MAX_OFFSET_M)


def _check_lon_lat(geometry: GEOSGeometry, field: str) -> None:
    for lon, lat, *_z in geometry.coords if isinstance(geometry, LineString) else [geometry.coords]:
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValidationError({field: [_("Coordinates must be longitude/latitude (WGS84, SRID 4326).")]})


def _as_4326(geometry, field: str, kind: type) -> GEOSGeometry:
    if geometry is None or not isinstance(geometry, GEOSGeometry):
        raise ValidationError({field: [_("A geometry is required.")]})
    if not isinstance(geometry, kind):
        raise ValidationError({field: [_("Expected a %(type)s.") % {"type": kind.__name__}]})
    geometry = geo.flat(geometry)  # a Z (elevation) is dropped: 2-D is stored
    if geometry.srid and geometry.srid != 4326:
        geometry = geometry.transform(4326, clone=True)
    geometry.srid = 4326
    _check_lon_lat(geometry, field)
    return geometry


def _single_line(geometry):
    """GIS tools (QGIS among them) write lines as MultiLineString even with one part."""
    if isinstance(geometry, MultiLineString):
        merged = geo.flat(geometry).merged
        if isinstance(merged, LineString):
            merged.srid = geometry.srid
            return merged
        raise ValidationError({"geometry": [_("A river must be one continuous line.")]})
    return geometry


def _check_outlet(river: River) -> None:
    outlet = river.outlet
    if outlet is None:
        return
    seen = set()
    while outlet is not None:
        if (river.pk and outlet.pk == river.pk) or outlet.pk in seen:
            raise ValidationError({"outlet": [_("A river cannot flow (directly or indirectly) into itself.")]})
        seen.add(outlet.pk)
        outlet = outlet.outlet


@transaction.atomic
def save_river(*, river: River | None = None, **fields) -> River:
    """Create or update a river; compute its geodesic length and its confluence on the outlet,
    and re-measure what hangs on it when its course changes."""
    unknown = set(fields) - RIVER_FIELDS
    if unknown:
        raise ValueError(f"unknown river fields: {sorted(unknown)}")
    river = river or River()
    old_geometry = river.geometry.ewkt if river.pk and river.geometry else None
    if "geometry" in fields:
        fields["geometry"] = _as_4326(_single_line(fields["geometry"]), "geometry", LineString)
        if fields["geometry"].num_points < 2 or len(set(fields["geometry"].coords)) < 2:
            raise ValidationError({"geometry": [_("A river needs at least two distinct vertices.")]})
    for name, value in fields.items():
        setattr(river, name, value)
    errors = {}
    for name in ("velocity_ms", "flow_m3s", "dispersion_m2s"):
        value = getattr(river, name)
        if value is not None and value <= 0:
            errors[name] = [_("Must be greater than zero.")]
    if errors:
        raise ValidationError(errors)
    river.full_clean(validate_constraints=False)
    _check_outlet(river)
    river.length_m = geo.length_m(river.geometry)
    river.confluence_chainage_m = None
    if river.outlet is not None:
        mouth = Point(river.geometry.coords[-1], srid=4326)
        chainage, gap = geo.locate(river.outlet.geometry, mouth)
        if gap > max_offset_m():
            raise ValidationError(
                {"outlet": [_("The mouth is %(gap).0f m from %(outlet)s.") % {"gap": gap, "outlet": river.outlet.name}]}
            )
        river.confluence_chainage_m = chainage
    river.save()
    if old_geometry is not None and old_geometry != river.geometry.ewkt:
        geo.relocate_dependents(river.pk)
    if old_geometry != river.geometry.ewkt:
        boundaries.locate_river(river)  # which areas it runs through (computed crossings)
    return river


@transaction.atomic
def delete_river(river: River) -> None:
    """Deletes the river with its features and plans; its tributaries become terminal."""
    River.objects.filter(outlet=river).update(outlet=None, confluence_chainage_m=None)
    delete_or_refuse(river)


def _clean_kind_fields(feature: RiverFeature) -> None:
    kind = feature.kind
    if kind not in KIND_FIELDS:
        return  # full_clean reports the bad choice
    for name in ALL_KIND_FIELDS - KIND_FIELDS[kind]:
        # Columns of another kind are cleared, so a feature never carries stale attributes.
        setattr(feature, name, _EMPTY.get(name, [] if name in LIST_FIELDS else ""))
    if feature.capacity_m3 is not None and feature.capacity_m3 < 0:
        raise ValidationError({"capacity_m3": [_("Must not be negative.")]})


@transaction.atomic
def save_feature(*, feature: RiverFeature | None = None, **fields) -> RiverFeature:
    """Create or update a feature; its chainage is measured on its river (geodesic metres)."""
    unknown = set(fields) - FEATURE_FIELDS
    if unknown:
        raise ValueError(f"unknown feature fields: {sorted(unknown)}")
    feature = feature or RiverFeature()
    if "location" in fields:
        fields["location"] = _as_4326(fields["location"], "location", Point)
    for name, value in fields.items():
        if name in LIST_FIELDS and value is None:
            value = []
        if name in ALL_KIND_FIELDS and value is None and name not in _EMPTY:
            value = ""
        setattr(feature, name, value)
    _clean_kind_fields(feature)
    feature.full_clean(validate_constraints=False)
    chainage, offset = geo.locate(feature.river.geometry, feature.location)
    if offset > max_offset_m():
        message = _("The point is %(offset).0f m from %(river)s.") % {"offset": offset, "river": feature.river}
        raise ValidationError({"location": [message]})
    feature.chainage_m, feature.offset_m = chainage, offset
    feature.save()
    return feature


@transaction.atomic
def delete_feature(feature: RiverFeature) -> None:
    delete_or_refuse(feature)
