"""Where is it? A search by place, river, feature or depot name, and the offline orientation
layer of the maps (outlines with names, rivers, features, depots), for a duty officer whose
bureau has no tile server. Here, not in directory/plans/inventory, because incidents is the
lowest app allowed to read all three (docs/architecture.md, app import rules).
"""

from __future__ import annotations

import json
import re

from django.contrib.gis.db.models.functions import PointOnSurface
from django.db.models import Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.directory.models import AdminArea
from inventory.models import Depot
from plans.models import River, RiverFeature

MAX_RESULTS = 20
# Outlines are simplified for the overview (≈ 500 m): the map orients, it does not survey.
SIMPLIFY_DEGREES = 0.005


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _label(name: str, name_en: str = "") -> str:
    return name_en if _english() and name_en else name


def _hit(kind: str, name: str, point, detail: str = "", name_en: str = "") -> dict:
    return {
        "kind": kind,
        "name": _label(name, name_en),
        "detail": detail,
        "lon": round(point.x, 6),
        "lat": round(point.y, 6),
    }


def search(query: str) -> list[dict]:
    """Names containing the query (Chinese or English): county seats first, then areas, rivers,
    features, depots."""
    query = re.sub(r"\s+", " ", query).strip()
    if not query:
        return []
    named = Q(name__icontains=query)
    hits = []
    seated = AdminArea.objects.filter(named | Q(name_en__icontains=query), seat__isnull=False).defer("boundary")
    for area in seated[:MAX_RESULTS]:
        hits.append(_hit("seat", area.name, area.seat, _("county seat"), area.name_en))
    areas = AdminArea.objects.filter(named | Q(name_en__icontains=query), boundary__isnull=False)
    for area in areas.annotate(inside=PointOnSurface("boundary")).defer("boundary")[:MAX_RESULTS]:
        hits.append(_hit("area", area.name, area.inside, area.get_level_display(), area.name_en))
    for river in River.objects.filter(named | Q(name_en__icontains=query))[:MAX_RESULTS]:
        middle = river.geometry.interpolate_normalized(0.5)
        hits.append(_hit("river", river.name, middle, "", river.name_en))
    features = RiverFeature.objects.filter(named).select_related("river")[:MAX_RESULTS]
    for feature in features:
        hits.append(_hit("feature", feature.name, feature.location, _label(feature.river.name, feature.river.name_en)))
    for depot in Depot.objects.filter(named)[:MAX_RESULTS]:
        hits.append(_hit("depot", depot.name, depot.location, depot.address))
    return hits[:MAX_RESULTS]


def _feature(geometry, **properties) -> dict:
    return {"type": "Feature", "geometry": json.loads(geometry.geojson), "properties": properties}


def orientation_layer() -> dict:
    """One FeatureCollection: area outlines (layer=area), county seats (layer=seat, the county's
    name goes there), rivers, river features, depots."""
    features = []
    for area in AdminArea.objects.filter(boundary__isnull=False).exclude(level=AdminArea.Level.PROVINCE):
        outline = area.boundary.simplify(SIMPLIFY_DEGREES, preserve_topology=True)
        features.append(
            _feature(outline, layer="area", level=area.level, name=_label(area.name, area.name_en), code=area.code)
        )
    for area in AdminArea.objects.filter(seat__isnull=False).defer("boundary"):
        features.append(_feature(area.seat, layer="seat", name=_label(area.name, area.name_en), code=area.code))
    for river in River.objects.all():
        features.append(_feature(river.geometry, layer="river", name=_label(river.name, river.name_en)))
    for item in RiverFeature.objects.all():
        features.append(_feature(item.location, layer="feature", kind=item.kind, name=item.name))
    for depot in Depot.objects.all():
        features.append(_feature(depot.location, layer="depot", name=depot.name))
    return {"type": "FeatureCollection", "features": features}


class PlaceSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["seat", "area", "river", "feature", "depot"])
    name = serializers.CharField()
    detail = serializers.CharField()
    lon = serializers.FloatField()
    lat = serializers.FloatField()


class PlaceSearchView(APIView):
    """GET /api/places/?q=忻府 → [{kind, name, detail, lon, lat}] (kind: seat, area, river, feature, depot)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("q", str, description="part of a name, Chinese or English")],
        responses=PlaceSerializer(many=True),
    )
    def get(self, request):
        return Response(search(request.query_params.get("q", "")[:64]))


class OrientationLayerView(APIView):
    """GET /api/places/layer/ → the offline orientation layer as one GeoJSON FeatureCollection."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        return Response(orientation_layer())
