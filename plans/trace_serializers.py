"""Request and response shapes of POST /api/trace/ (validation names the bad field)."""

from __future__ import annotations

import math

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .models import Pollutant, River
from .serializers import InlineChoiceField


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": ["Point"]},
            "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 3},
        },
        "required": ["type", "coordinates"],
    }
)
class GeoJSONPointField(serializers.Field):
    """{"type": "Point", "coordinates": [lon, lat]} with WGS84 ranges; answers (lon, lat)."""

    default_error_messages = {
        "invalid": _('Expected a GeoJSON Point: {{"type": "Point", "coordinates": [lon, lat]}}.'),
        "range": _("Longitude must be within −180…180 and latitude within −90…90."),
    }

    def to_internal_value(self, data):
        if isinstance(data, dict) and data.get("type") == "Feature":
            data = data.get("geometry")
        if not isinstance(data, dict) or data.get("type") != "Point":
            self.fail("invalid")
        coords = data.get("coordinates")
        if not isinstance(coords, list | tuple) or len(coords) not in (2, 3):
            self.fail("invalid")
        if not all(isinstance(c, int | float) and not isinstance(c, bool) and math.isfinite(c) for c in coords):
            self.fail("invalid")
        lon, lat = float(coords[0]), float(coords[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            self.fail("range")
        return lon, lat

    def to_representation(self, value):
        return {"type": "Point", "coordinates": list(value)}


class HydraulicsOverrideSerializer(serializers.Serializer):
    velocity_ms = serializers.FloatField(min_value=1e-6, required=False)
    flow_m3s = serializers.FloatField(min_value=1e-6, required=False)
    dispersion_m2s = serializers.FloatField(min_value=1e-6, required=False)


class TraceRequestSerializer(serializers.Serializer):
    location = GeoJSONPointField(help_text=_("spill location, GeoJSON Point (lon, lat)"))
    pollutant = serializers.SlugRelatedField(
        slug_field="code", queryset=Pollutant.objects.all(), required=False, allow_null=True
    )
    mass_kg = serializers.FloatField(min_value=0, required=False, allow_null=True)
    overrides = serializers.DictField(
        child=HydraulicsOverrideSerializer(),
        required=False,
        help_text=_("river code → hydraulics for a flood or dry season"),
    )

    def validate_overrides(self, value):
        unknown = sorted(set(value) - set(River.objects.filter(code__in=list(value)).values_list("code", flat=True)))
        if unknown:
            raise serializers.ValidationError(_("Unknown river code(s): %(codes)s.") % {"codes": ", ".join(unknown)})
        return value

    def validate(self, attrs):
        if attrs.get("mass_kg") is not None and attrs.get("pollutant") is None:
            message = _("A mass needs a pollutant.")
            raise serializers.ValidationError({"pollutant": [message], "mass_kg": [message]})
        return attrs


class TraceEntrySerializer(serializers.Serializer):
    kind = InlineChoiceField(["section", "receptor", "space", "risk_source", "confluence"])
    id = serializers.IntegerField(help_text=_("feature id; for a confluence, the id of the river entered"))
    name = serializers.CharField()
    river = serializers.CharField(help_text=_("river code"))
    distance_m = serializers.FloatField()
    arrival_hours = serializers.FloatField()
    front_hours = serializers.FloatField()
    peak_mg_l = serializers.FloatField(allow_null=True)
    limit_mg_l = serializers.FloatField(allow_null=True)
    exceeds = serializers.BooleanField(allow_null=True)
    setup_minutes = serializers.IntegerField(required=False, allow_null=True, help_text=_("spaces only"))
    capacity_m3 = serializers.FloatField(required=False, allow_null=True, help_text=_("spaces only"))


class TraceRiverSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class AreaRefSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=_("GB/T 2260 code"))
    name = serializers.CharField()


class DepartmentRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class BoundaryCrossingSerializer(serializers.Serializer):
    """An administrative line the plume reaches, computed from the outlines (plans.boundaries)."""

    level = InlineChoiceField(["county", "prefecture", "province"])
    from_area = AreaRefSerializer(allow_null=True)
    to_area = AreaRefSerializer()
    river = serializers.CharField(help_text=_("river code"))
    distance_m = serializers.FloatField()
    arrival_hours = serializers.FloatField()
    front_hours = serializers.FloatField()
    peak_mg_l = serializers.FloatField(allow_null=True)
    limit_mg_l = serializers.FloatField(allow_null=True, help_text=_("class III limit"))
    exceeds = serializers.BooleanField(allow_null=True)
    basis = InlineChoiceField(["predicted", "potential"], allow_null=True)
    notify = DepartmentRefSerializer(many=True, help_text=_("environment bureaus to notify"))


class TraceResultSerializer(serializers.Serializer):
    river = TraceRiverSerializer()
    snap_distance_m = serializers.FloatField()
    chainage_m = serializers.FloatField()
    pollutant = serializers.CharField(allow_null=True)
    mass_kg = serializers.FloatField(allow_null=True)
    downstream = TraceEntrySerializer(many=True)
    recommended_space = TraceEntrySerializer(allow_null=True)
    boundary_crossings = BoundaryCrossingSerializer(many=True)
