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
        help_text=_("river code → hydraulics for every reach of that river (a flood or dry spell measured today)"),
    )
    season = InlineChoiceField(
        ["dry", "normal", "wet"],
        required=False,
        help_text=_("hydrological season of the reaches' values; default by month (SEASON_MONTHS)"),
    )
    elapsed_minutes = serializers.FloatField(
        min_value=0,
        required=False,
        default=0.0,
        help_text=_("minutes since the spill when the advice is asked (a space must be ready before its front)"),
    )
    bank_distance_m = serializers.FloatField(
        min_value=0,
        required=False,
        default=0.0,
        help_text=_("the spill's distance from the nearer bank (mixing length); default the bank"),
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
    tail_hours = serializers.FloatField(help_text=_("arrival + 2σₜ: when the plume has passed"))
    fully_mixed = serializers.BooleanField(
        help_text=_("false closer than the mixing length: the spill's bank may see several times the peak printed")
    )
    mixing_length_m = serializers.FloatField(
        allow_null=True, help_text=_("mixing length of the spill or the last confluence; null without reach geometry")
    )
    plume_volume_m3 = serializers.FloatField(help_text=_("Q·4σₜ: the water carrying the plume past this point"))
    receptor_type = serializers.CharField(required=False, allow_blank=True, help_text=_("receptors only"))
    setup_minutes = serializers.IntegerField(required=False, allow_null=True, help_text=_("spaces only"))
    capacity_m3 = serializers.FloatField(required=False, allow_null=True, help_text=_("spaces only"))
    setup_unknown = serializers.BooleanField(required=False, help_text=_("spaces only: no set-up time recorded"))
    too_late = serializers.BooleanField(
        required=False, help_text=_("spaces only: the front arrives before it can be set up, counted from now")
    )
    capacity_ok = serializers.BooleanField(
        required=False, allow_null=True, help_text=_("spaces only: holds the plume; null without a capacity")
    )
    capacity_short_m3 = serializers.FloatField(
        required=False, allow_null=True, help_text=_("spaces only: plume volume beyond the capacity")
    )


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


class TraceStretchSerializer(serializers.Serializer):
    river = serializers.CharField()
    from_chainage_m = serializers.FloatField()
    to_chainage_m = serializers.FloatField()
    flow_m3s = serializers.FloatField()
    velocity_ms = serializers.FloatField()
    dispersion_m2s = serializers.FloatField()


class TreatmentDepotSerializer(serializers.Serializer):
    depot = serializers.CharField()
    name = serializers.CharField()
    available = serializers.FloatField()
    distance_m = serializers.FloatField()
    road_minutes = serializers.FloatField()
    take = serializers.FloatField(help_text=_("what this depot would send"))


class TreatmentItemSerializer(serializers.Serializer):
    step = serializers.IntegerField()
    measure = serializers.CharField()
    measure_en = serializers.CharField(allow_blank=True, help_text=_("English name; blank when none"))
    item = serializers.CharField(help_text=_("supply item code"))
    item_name = serializers.CharField(allow_null=True)
    item_name_en = serializers.CharField(allow_null=True, allow_blank=True)
    unit = serializers.CharField(allow_null=True)
    unit_en = serializers.CharField(allow_null=True, required=False, help_text=_("the unit in English, when recorded"))
    basis = serializers.CharField()
    dose = serializers.FloatField()
    quantity = serializers.FloatField(allow_null=True, help_text=_("in the item's unit; null without a mass"))
    depots = TreatmentDepotSerializer(many=True)
    short = serializers.FloatField(allow_null=True, help_text=_("what no depot can supply"))
    source = serializers.CharField()


class TreatmentSerializer(serializers.Serializer):
    space = serializers.IntegerField(help_text=_("the recommended space the quantities are for"))
    category = serializers.CharField()
    water_m3 = serializers.FloatField(help_text=_("water held: the plume volume, at most the capacity"))
    items = TreatmentItemSerializer(many=True)


class TraceResultSerializer(serializers.Serializer):
    river = TraceRiverSerializer()
    snap_distance_m = serializers.FloatField()
    chainage_m = serializers.FloatField()
    pollutant = serializers.CharField(allow_null=True)
    mass_kg = serializers.FloatField(allow_null=True)
    season = serializers.CharField(help_text=_("dry, normal or wet: the season whose values were used"))
    elapsed_minutes = serializers.FloatField()
    hydraulics = TraceStretchSerializer(many=True, help_text=_("the values used, stretch by stretch"))
    downstream = TraceEntrySerializer(many=True)
    recommended_space = TraceEntrySerializer(allow_null=True)
    boundary_crossings = BoundaryCrossingSerializer(many=True)
    treatment = TreatmentSerializer(allow_null=True)
