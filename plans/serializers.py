"""DRF serializers of plans. They shape and check input; plans.services does the writing."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from backend.directory.models import Department

from .models import (
    EnterprisePlanFiling,
    Measure,
    Pollutant,
    PollutantCategory,
    ResponsePlan,
    River,
    RiverFeature,
    RiverReach,
    TaskTemplate,
    WaterClass,
)
from .services.rivers import ALL_KIND_FIELDS, KIND_FIELDS


class _IdInProperties:
    """The id both as the GeoJSON Feature id and among the properties (clients that read only
    properties find it too). Meta.id_field is False because drf-spectacular cannot describe a
    read-only Feature id in request bodies; the top-level id is added here instead."""

    def to_representation(self, instance):
        feature = super().to_representation(instance)
        return {"id": feature["properties"].get("id"), **feature}


class InlineChoiceField(serializers.ChoiceField):
    """A choice field documented by a pattern instead of an enum: names like `kind`, `level`,
    `status` and `category` mean different choice sets in different apps, and drf-spectacular
    would hoist every enum into a shared component whose names collide (a warning per name)."""


class CategoryField(InlineChoiceField):
    """Pollutant category; "heavy metal", "acid/alkali" and the like are read as the codes."""

    def __init__(self, **kwargs):
        super().__init__(PollutantCategory.choices, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = data.strip().lower().replace("/", "_").replace("-", "_").replace(" ", "_")
            # "acid" and "alkali" are classes of their own now (acid_alkali stays valid).
            data = {"heavy_metals": "heavy_metal"}.get(data, data)
        return super().to_internal_value(data)


class InlineChoiceFieldExtension(OpenApiSerializerFieldExtension):
    target_class = InlineChoiceField
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        values = [str(value) for value in self.target.choices if value != ""]
        alternatives = ([""] if self.target.allow_blank else []) + values
        schema = {
            "type": "string",
            "pattern": f"^({'|'.join(alternatives)})$",
            "description": "one of: " + ", ".join(values),
        }
        if self.target.allow_null:
            schema["nullable"] = True
        if self.target.read_only:
            schema["readOnly"] = True
        return schema


class StringListField(serializers.ListField):
    """A list of short texts; a single string is taken as a one-item list (QGIS attributes)."""

    child = serializers.CharField(max_length=200)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = [part.strip() for part in data.replace("、", ",").split(",") if part.strip()]
        return super().to_internal_value(data)


class RiskGradeField(serializers.ChoiceField):
    """HJ 941 grades as the standard writes them (一般/较大/重大); English aliases accepted."""

    ALIASES = {"general": "一般", "moderate": "较大", "major": "重大", "large": "较大", "serious": "重大"}

    def __init__(self, **kwargs):
        super().__init__(RiverFeature.RiskGrade.choices, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = self.ALIASES.get(data.strip().lower(), data.strip())
        return super().to_internal_value(data)


class RiverSerializer(_IdInProperties, GeoFeatureModelSerializer):
    outlet = serializers.SlugRelatedField(
        slug_field="code", queryset=River.objects.all(), allow_null=True, required=False, help_text=_("river code")
    )

    class Meta:
        model = River
        geo_field = "geometry"
        id_field = False
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "velocity_ms",
            "flow_m3s",
            "dispersion_m2s",
            "outlet",
            "length_m",
            "confluence_chainage_m",
        ]
        read_only_fields = ["length_m", "confluence_chainage_m"]


class RiverFeatureSerializer(_IdInProperties, GeoFeatureModelSerializer):
    river = serializers.SlugRelatedField(slug_field="code", queryset=River.objects.all(), help_text=_("river code"))
    downstream_jurisdiction = serializers.SlugRelatedField(
        slug_field="code",
        queryset=Department.objects.all(),
        allow_null=True,
        required=False,
        help_text=_("boundary receptors: code of the department answering for the area downstream"),
    )
    kind = InlineChoiceField(RiverFeature.Kind.choices)
    level = InlineChoiceField(RiverFeature.SectionLevel.choices, required=False, allow_blank=True, allow_null=True)
    risk_grade = RiskGradeField(required=False, allow_blank=True, allow_null=True)
    possible_measures = StringListField(required=False, allow_null=True)
    hazardous_substances = StringListField(required=False, allow_null=True)

    class Meta:
        model = RiverFeature
        geo_field = "location"
        id_field = False
        fields = [
            "id",
            "kind",
            "name",
            "river",
            "chainage_m",
            "offset_m",
            "description",
            "level",
            "water_class",
            "receptor_type",
            "serves",
            "boundary",
            "downstream_jurisdiction",
            "space_type",
            "capacity_m3",
            "setup_minutes",
            "possible_measures",
            "source_type",
            "risk_grade",
            "hazardous_substances",
        ]
        read_only_fields = ["chainage_m", "offset_m"]
        extra_kwargs = {
            name: {"allow_null": True, "required": False}
            for name in ("water_class", "receptor_type", "serves", "boundary", "space_type", "source_type")
        }

    # Other names clients use for the same attributes (accepted on input only).
    INPUT_ALIASES = {
        "jurisdiction": "downstream_jurisdiction",
        "measures": "possible_measures",
        "substances": "hazardous_substances",
    }

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = dict(data)
            props = data.get("properties") if isinstance(data.get("properties"), dict) else data
            props = dict(props)
            for alias, name in self.INPUT_ALIASES.items():
                if alias in props and name not in props:
                    props[name] = props.pop(alias)
            if "properties" in data and isinstance(data["properties"], dict):
                data["properties"] = props
            else:
                data = props
        return super().to_internal_value(data)

    def to_representation(self, instance):
        feature = super().to_representation(instance)
        # Only the attributes of the feature's own kind: a section has no set-up time.
        foreign = ALL_KIND_FIELDS - KIND_FIELDS.get(instance.kind, set())
        feature["properties"] = {k: v for k, v in feature["properties"].items() if k not in foreign}
        return feature


class PollutantSerializer(serializers.ModelSerializer):
    category = CategoryField()
    limits = serializers.SerializerMethodField(help_text=_("GB 3838-2002 limits by class, mg/L (null: none set)"))

    class Meta:
        model = Pollutant
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "category",
            "limit_i",
            "limit_ii",
            "limit_iii",
            "limit_iv",
            "limit_v",
            "limits",
            "decay_per_day",
        ]

    def get_limits(self, pollutant) -> dict[str, float | None]:
        return {name: pollutant.limit_for(name) for name in WaterClass.values}


class TaskTemplateSerializer(serializers.ModelSerializer):
    plan = serializers.PrimaryKeyRelatedField(queryset=ResponsePlan.objects.all())
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all())

    class Meta:
        model = TaskTemplate
        fields = ["id", "plan", "department", "text", "order", "ack_minutes", "complete_minutes"]

    def to_internal_value(self, data):
        # "task" is what the plan documents call the text; accepted as a synonym on input.
        if isinstance(data, dict) and "task" in data and "text" not in data:
            data = {**data, "text": data["task"]}
        return super().to_internal_value(data)


class MeasureSerializer(serializers.ModelSerializer):
    plan = serializers.PrimaryKeyRelatedField(queryset=ResponsePlan.objects.all())
    space = serializers.PrimaryKeyRelatedField(
        queryset=RiverFeature.objects.filter(kind=RiverFeature.Kind.SPACE), help_text=_("id of an emergency space")
    )
    space_name = serializers.CharField(source="space.name", read_only=True)
    category = CategoryField()

    class Meta:
        model = Measure
        fields = ["id", "plan", "space", "space_name", "category", "action", "order"]


class NestedTaskSerializer(TaskTemplateSerializer):
    class Meta(TaskTemplateSerializer.Meta):
        fields = ["id", "department", "text", "order", "ack_minutes", "complete_minutes"]


class NestedMeasureSerializer(MeasureSerializer):
    class Meta(MeasureSerializer.Meta):
        fields = ["id", "space", "space_name", "category", "action", "order"]


class ResponsePlanSerializer(serializers.ModelSerializer):
    river = serializers.SlugRelatedField(slug_field="code", queryset=River.objects.all())
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    approved_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    status = InlineChoiceField(ResponsePlan.Status.choices, read_only=True)
    task_templates = NestedTaskSerializer(many=True, required=False)
    measures = NestedMeasureSerializer(many=True, required=False)

    class Meta:
        model = ResponsePlan
        fields = [
            "id",
            "river",
            "version",
            "title",
            "summary",
            "status",
            "created_at",
            "created_by",
            "approved_at",
            "approved_by",
            "task_templates",
            "measures",
        ]
        read_only_fields = ["version", "status", "created_at", "approved_at"]
        extra_kwargs = {"title": {"required": False, "allow_blank": True}}


class EnterprisePlanFilingSerializer(serializers.ModelSerializer):
    risk_source = serializers.PrimaryKeyRelatedField(
        queryset=RiverFeature.objects.filter(kind=RiverFeature.Kind.RISK_SOURCE), help_text=_("id of a risk source")
    )
    risk_source_name = serializers.CharField(source="risk_source.name", read_only=True)
    status = InlineChoiceField(EnterprisePlanFiling.Status.choices, required=False)

    class Meta:
        model = EnterprisePlanFiling
        fields = [
            "id",
            "risk_source",
            "risk_source_name",
            "filing_number",
            "filed_on",
            "expires_on",
            "status",
            "document",
            "note",
            "created_at",
        ]
        read_only_fields = ["created_at"]


class MissingFilingSerializer(serializers.ModelSerializer):
    river = serializers.SlugRelatedField(slug_field="code", read_only=True)
    reason = serializers.SerializerMethodField(help_text=_("missing: never filed; expired: no filing in force"))

    class Meta:
        model = RiverFeature
        fields = ["id", "name", "river", "source_type", "risk_grade", "reason"]

    def get_reason(self, feature) -> str:
        return "expired" if feature.has_filing else "missing"


class SeasonValuesSerializer(serializers.Serializer):
    """A reach's values for the dry or the wet season (each optional: the normal value stands)."""

    flow_m3s = serializers.FloatField(required=False, allow_null=True)
    velocity_ms = serializers.FloatField(required=False, allow_null=True)
    dispersion_m2s = serializers.FloatField(required=False, allow_null=True)

    def validate(self, attrs):
        errors = {name: [_("Must be greater than zero.")] for name, v in attrs.items() if v is not None and v <= 0}
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class RiverReachSerializer(serializers.ModelSerializer):
    """A stretch of a river with its own hydraulics. The plain values are the normal season's;
    `dry` and `wet` are optional objects {flow_m3s, velocity_ms, dispersion_m2s} (null: the
    normal values hold in that season)."""

    river = serializers.SlugRelatedField(slug_field="code", queryset=River.objects.all(), help_text=_("river code"))
    dry = SeasonValuesSerializer(required=False, allow_null=True)
    wet = SeasonValuesSerializer(required=False, allow_null=True)

    class Meta:
        model = RiverReach
        fields = [
            "id",
            "river",
            "from_chainage_m",
            "to_chainage_m",
            "flow_m3s",
            "velocity_ms",
            "dispersion_m2s",
            "width_m",
            "depth_m",
            "slope",
            "dry",
            "wet",
        ]

    def to_representation(self, instance):
        from .services.reaches import reach_properties

        return {"id": instance.pk, "river": instance.river.code, **reach_properties(instance)}

    def to_internal_value(self, data):
        from .services.reaches import flatten_seasons

        return flatten_seasons(super().to_internal_value(data), partial=self.partial)
