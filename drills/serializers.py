"""Drill API bodies. Departments, rivers and pollutants by code; people by username."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.directory.models import Department
from backend.incidents.serializers import GeoJSONPointField
from backend.names import local_name
from plans.models import Pollutant, ResponsePlan

from .models import Drill, Evaluation, ImprovementItem, Inject, Observation, Rating
from .services import inject_targets

User = get_user_model()

POINT_SCHEMA = {
    "type": "object",
    "properties": {
        "type": {"type": "string", "enum": ["Point"]},
        "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 3},
    },
    "required": ["type", "coordinates"],
}


@extend_schema_field(POINT_SCHEMA)
class ScenarioPointField(GeoJSONPointField):
    """The scenario location: a GeoJSON Point, lon/lat (documented for the OpenAPI schema)."""


def _user_field(**kwargs):
    return serializers.SlugRelatedField(slug_field="username", queryset=User.objects.all(), **kwargs)


def _department_field(**kwargs):
    return serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all(), **kwargs)


class ObjectivesField(serializers.ListField):
    """A list of texts; a single text is taken one objective per line (a textarea)."""

    child = serializers.CharField(max_length=300)

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = [line.strip() for line in data.splitlines() if line.strip()]
        return super().to_internal_value(data)


class DrillSerializer(serializers.ModelSerializer):
    # The plan by id, or the river by code (its approved plan).
    plan = serializers.PrimaryKeyRelatedField(queryset=ResponsePlan.objects.all(), required=False)
    river = serializers.CharField(source="plan.river.code", read_only=True)
    river_name = serializers.SerializerMethodField()  # in the caller's language
    location = ScenarioPointField()
    pollutant = serializers.SlugRelatedField(
        slug_field="code", queryset=Pollutant.objects.all(), required=False, allow_null=True
    )
    departments = _department_field(many=True, required=False)
    trainer = _user_field(required=False)
    evaluators = _user_field(many=True, required=False)
    observers = _user_field(many=True, required=False)
    objectives = ObjectivesField(required=False)
    incident_short_code = serializers.CharField(source="incident.short_code", read_only=True, default=None)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    elapsed_minutes = serializers.SerializerMethodField()

    class Meta:
        model = Drill
        fields = [
            "id", "title", "form", "scope", "plan", "river", "river_name", "location", "pollutant", "mass_kg",
            "narrative", "departments", "scheduled_start", "duration_minutes", "trainer", "evaluators", "observers",
            "objectives", "status", "status_display", "incident", "incident_short_code", "live_stock_exercise",
            "started_at", "ended_at", "paused_at", "paused_seconds", "elapsed_minutes", "summary", "created_at",
            "updated_at",
        ]  # fmt: skip
        read_only_fields = [
            "status", "incident", "started_at", "ended_at", "paused_at", "paused_seconds", "created_at", "updated_at",
        ]  # fmt: skip

    def get_river_name(self, drill) -> str:
        return local_name(drill.plan.river) if drill.plan_id else ""

    def get_elapsed_minutes(self, drill) -> float:
        return round(drill.elapsed_minutes(timezone.now()), 2)

    ALIASES = {
        "participating_departments": "departments",
        "expected_duration_minutes": "duration_minutes",
        "scenario_narrative": "narrative",
        "trainer_username": "trainer",
    }

    def to_internal_value(self, data):
        if not hasattr(data, "getlist"):  # JSON: accept the names the domain text uses
            data = {self.ALIASES.get(key, key): value for key, value in data.items()}
            river = data.get("river")
            if not data.get("plan") and isinstance(river, str):
                plan = ResponsePlan.objects.filter(river__code=river, status=ResponsePlan.Status.APPROVED).first()
                if plan is None:
                    raise serializers.ValidationError({"river": [_("This river has no approved plan.")]})
                data["plan"] = plan.pk
        return super().to_internal_value(data)

    def validate(self, attrs):
        if self.instance is None and attrs.get("plan") is None:
            raise serializers.ValidationError(
                {"plan": [_("Give the plan (id) or the river (code) the drill exercises.")]}
            )
        return attrs

    def validate_mass_kg(self, value):
        if value is not None and value < 0:
            raise serializers.ValidationError(_("The mass cannot be negative."))
        return value


class InjectSerializer(serializers.ModelSerializer):
    # "from" and "to" as in the MSEL and the inject_delivered event ("from" is a Python keyword).
    locals()["from"] = serializers.CharField(source="from_sender", max_length=100)
    to = _department_field(source="to_department")
    number = serializers.IntegerField(required=False, min_value=1)
    offset_minutes = serializers.FloatField(required=False, min_value=0)
    status = serializers.SerializerMethodField()
    targets = serializers.SerializerMethodField()

    class Meta:
        model = Inject
        fields = [
            "id", "number", "offset_minutes", "from", "to", "message", "expected_action", "objective", "ack_minutes",
            "complete_minutes", "targets", "due_at", "delivered_at", "skipped", "adhoc", "task", "status",
        ]  # fmt: skip
        read_only_fields = ["due_at", "delivered_at", "skipped", "adhoc", "task"]

    ALIASES = {"from_sender": "from", "to_department": "to", "offset": "offset_minutes"}

    def to_internal_value(self, data):
        if isinstance(data, dict):
            data = {self.ALIASES.get(key, key): value for key, value in data.items()}
        return super().to_internal_value(data)

    def get_status(self, inject) -> str:
        return "delivered" if inject.delivered_at else "skipped" if inject.skipped else "pending"

    def get_targets(self, inject) -> dict:
        """The targets that apply: the inject's own or the plan's for that department."""
        ack, done = inject_targets(inject)
        return {"ack_minutes": ack, "complete_minutes": done}


class DrillReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class DrillSummarySerializer(serializers.Serializer):
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class DrillRescheduleSerializer(serializers.Serializer):
    scheduled_start = serializers.DateTimeField()


class EvaluationSerializer(serializers.ModelSerializer):
    evaluator = serializers.CharField(source="evaluator.username", read_only=True)
    department = serializers.CharField(source="task.department.code", read_only=True)
    rating = serializers.ChoiceField(choices=Rating.choices)

    class Meta:
        model = Evaluation
        fields = [
            "id", "task", "department", "evaluator", "rating", "notes", "observed_ack_at", "observed_complete_at",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        # One rating per evaluator and task: a second POST replaces the first (services.rate_task).
        validators = []


class ObservationSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.username", read_only=True)
    department = _department_field(required=False, allow_null=True)

    KINDS = {"area_for_improvement": "improvement", "area for improvement": "improvement", "afi": "improvement"}

    def to_internal_value(self, data):
        if hasattr(data, "copy") and isinstance(data.get("kind"), str):
            kind = data["kind"].lower()
            data = data.copy()  # a QueryDict's copy is mutable; `{**query_dict}` would give lists
            data["kind"] = self.KINDS.get(kind, kind)
        return super().to_internal_value(data)

    class Meta:
        model = Observation
        fields = ["id", "kind", "text", "department", "author", "created_at"]
        read_only_fields = ["created_at"]


class ImprovementItemSerializer(serializers.ModelSerializer):
    department = _department_field()
    drill_title = serializers.CharField(source="drill.title", read_only=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = ImprovementItem
        fields = [
            "id", "drill", "drill_title", "observation", "issue", "corrective_action", "department", "owner",
            "due_date", "status", "closed_at", "verified_in", "overdue", "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["closed_at", "created_at", "updated_at"]

    def get_overdue(self, item) -> bool:
        return item.status != ImprovementItem.Status.DONE and item.due_date < timezone.localdate()
