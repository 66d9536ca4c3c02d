from __future__ import annotations

from django.contrib.gis.geos import GEOSException, GEOSGeometry, Point
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from backend.directory.models import Department
from backend.names import local_name
from plans.models import Pollutant

from .models import Incident, InformationReport, PlanActivation, ReportingDeadline, Sample, Task


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            "type": {"type": "string", "enum": ["Point"]},
            "coordinates": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 3},
        },
        "required": ["type", "coordinates"],
        "example": {"type": "Point", "coordinates": [112.73, 38.78]},
    }
)
class GeoJSONPointField(serializers.Field):
    """A GeoJSON Point in lon/lat (SRID 4326), with errors that say what is wrong."""

    default_error_messages = {
        "invalid": _("Expected a GeoJSON Point: an object with type “Point” and coordinates [longitude, latitude]."),
        "range": _("Coordinates out of range: longitude must be -180..180 and latitude -90..90."),
    }

    def to_internal_value(self, data):
        if not isinstance(data, dict) or data.get("type") != "Point":
            self.fail("invalid")
        coords = data.get("coordinates")
        if (
            not isinstance(coords, list | tuple)
            or len(coords) < 2
            or not all(isinstance(c, int | float) and not isinstance(c, bool) for c in coords[:2])
        ):
            self.fail("invalid")
        lon, lat = float(coords[0]), float(coords[1])
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            self.fail("range")
        try:
            return Point(lon, lat, srid=4326)
        except (GEOSException, ValueError, TypeError):
            self.fail("invalid")

    def to_representation(self, value: GEOSGeometry):
        return {"type": "Point", "coordinates": [value.x, value.y]}


class TaskSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    # Names in the caller's language (the page's cookie; API clients without one get Chinese).
    department_name = serializers.SerializerMethodField()
    incident_short_code = serializers.CharField(source="incident.short_code", read_only=True)
    overdue = serializers.SerializerMethodField()
    incident_info = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id", "incident", "incident_short_code", "department", "department_name", "text", "order", "status",
            "source", "ack_minutes", "complete_minutes", "created_at", "ack_due", "due", "acknowledged_at",
            "acknowledged_by", "started_at", "completed_at", "completion_note", "reassign_requested",
            "reassign_reason", "contact_hint", "overdue", "incident_info",
        ]  # fmt: skip

    def get_incident_info(self, task) -> dict:
        """What a liaison's phone card needs to act without opening the room: what happened,
        where (river, distance from its source, coordinates), whether it is a drill."""
        incident = task.incident
        trace = incident.trace or {}
        lon, lat = incident.location.x, incident.location.y
        river = local_name(incident.river) if incident.river_id else None
        chainage = trace.get("chainage_m")
        return {
            "id": incident.pk,
            "title": incident.title,
            "exercise": incident.exercise,
            "status": incident.status,
            "level": incident.level,
            "pollutant": local_name(incident.pollutant) if incident.pollutant_id else None,
            "mass_kg": incident.mass_kg,
            "river": river,
            "river_km": round(chainage / 1000, 1) if river and chainage is not None else None,
            "coordinates": [round(lon, 5), round(lat, 5)],
        }

    def get_department_name(self, task) -> str:
        return local_name(task.department)

    def get_overdue(self, task) -> bool:
        now = timezone.now()
        if task.status in (Task.Status.DONE, Task.Status.CANCELLED):
            return False
        return (task.status == Task.Status.PENDING and task.ack_due < now) or bool(task.due and task.due < now)


class IncidentCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    kind = serializers.ChoiceField(choices=Incident.Kind.choices)
    location = GeoJSONPointField()
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    pollutant = serializers.SlugRelatedField(
        slug_field="code", queryset=Pollutant.objects.all(), required=False, allow_null=True
    )
    mass_kg = serializers.FloatField(required=False, allow_null=True, min_value=0)
    description = serializers.CharField(required=False, allow_blank=True, default="")
    exercise = serializers.BooleanField(required=False, default=False)
    deaths = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    poisoned = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    evacuated = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    direct_loss_yuan = serializers.IntegerField(required=False, allow_null=True, min_value=0)

    def validate(self, attrs):
        if attrs.get("mass_kg") is not None and attrs.get("pollutant") is None:
            raise serializers.ValidationError({"pollutant": [_("A mass needs a pollutant.")]})
        return attrs


class IncidentListSerializer(serializers.ModelSerializer):
    location = GeoJSONPointField(read_only=True)
    pollutant = serializers.SlugRelatedField(slug_field="code", read_only=True)
    river = serializers.SerializerMethodField()

    class Meta:
        model = Incident
        fields = [
            "id", "short_code", "title", "kind", "location", "occurred_at", "reported_at", "pollutant", "mass_kg",
            "exercise", "level", "status", "river", "updated_at",
        ]  # fmt: skip

    def get_river(self, incident) -> dict | None:
        if incident.river_id is None:
            return None
        return {"id": incident.river_id, "code": incident.river.code, "name": incident.river.name}


class ActivationSerializer(serializers.ModelSerializer):
    river = serializers.CharField(source="plan.river.code")
    version = serializers.IntegerField(source="plan.version")
    title = serializers.CharField(source="plan.title")

    class Meta:
        model = PlanActivation
        fields = ["plan", "river", "version", "title", "activated_at"]


class ReportingDeadlineSerializer(serializers.ModelSerializer):
    due = serializers.DateTimeField(source="task.due", read_only=True)

    class Meta:
        model = ReportingDeadline
        fields = [
            "task", "procedure", "triggers", "recipients", "due", "reported_by", "reported_to", "via", "reported_at",
        ]  # fmt: skip


class IncidentDetailSerializer(IncidentListSerializer):
    plan = serializers.SerializerMethodField()
    tasks = TaskSerializer(many=True, read_only=True)
    activations = ActivationSerializer(many=True, read_only=True)
    other_plans = serializers.SerializerMethodField()
    reporting = serializers.SerializerMethodField()

    class Meta(IncidentListSerializer.Meta):
        fields = [
            *IncidentListSerializer.Meta.fields, "description", "deaths", "poisoned", "evacuated",
            "direct_loss_yuan", "suggested_level", "level_confirmed", "level_reasons", "potential_level",
            "potential_reasons", "suspended_intakes", "reporting",
            "plan", "trace", "tasks", "activations", "other_plans", "summary", "closed_at", "last_seq",
        ]  # fmt: skip

    def get_reporting(self, incident) -> dict | None:
        """The first report's deadline: procedure, why, recipients and, once done, the delivery."""
        deadline = getattr(incident, "reporting_deadline", None)
        if deadline is None:
            return None
        return ReportingDeadlineSerializer(deadline).data

    def get_plan(self, incident) -> dict | None:
        if incident.plan_id is None:
            # The first activation; from the prefetched activations when the view gave them.
            activations = sorted(incident.activations.all(), key=lambda a: (a.activated_at, a.pk))
            plan = activations[0].plan if activations else None
        else:
            plan = incident.plan
        if plan is None:
            return None
        return {"id": plan.pk, "river": plan.river.code, "version": plan.version, "title": plan.title}

    def get_other_plans(self, incident) -> list[dict]:
        """Approved plans of other rivers the trace reaches, not yet active (one-click activation)."""
        from plans.models import ResponsePlan

        if not incident.trace:
            return []
        reached = [e["id"] for e in incident.trace.get("downstream", []) if e["kind"] == "confluence"]
        if not reached:
            return []
        active = {activation.plan_id for activation in incident.activations.all()}
        plans = ResponsePlan.objects.filter(river_id__in=reached, status=ResponsePlan.Status.APPROVED).select_related(
            "river"
        )
        return [
            {"plan": p.pk, "river": p.river.code, "river_name": local_name(p.river), "title": p.title}
            for p in plans
            if p.pk not in active
        ]


class ImpactSerializer(serializers.Serializer):
    deaths = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    poisoned = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    evacuated = serializers.IntegerField(required=False, allow_null=True, min_value=0)
    direct_loss_yuan = serializers.IntegerField(required=False, allow_null=True, min_value=0)

    def validate(self, attrs):
        if not attrs:
            raise serializers.ValidationError({"non_field_errors": [_("Give at least one figure.")]})
        return attrs


class LevelSerializer(serializers.Serializer):
    level = serializers.IntegerField(min_value=1, max_value=4)
    reason = serializers.CharField()


class StatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=Incident.Status.choices)
    summary = serializers.CharField(required=False, allow_blank=True, default="")


class SummarySerializer(serializers.Serializer):
    summary = serializers.CharField()


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class NoteSerializer(serializers.Serializer):
    text = serializers.CharField()


class NewTaskSerializer(serializers.Serializer):
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all())
    text = serializers.CharField()
    ack_minutes = serializers.IntegerField(min_value=1, max_value=7 * 24 * 60, default=10)
    complete_minutes = serializers.IntegerField(min_value=1, max_value=30 * 24 * 60, required=False, allow_null=True)


class CompleteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReassignSerializer(serializers.Serializer):
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False, allow_null=True
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ActivateSerializer(serializers.Serializer):
    plan = serializers.IntegerField()


class SampleSerializer(serializers.ModelSerializer):
    location = GeoJSONPointField()
    pollutant = serializers.SlugRelatedField(slug_field="code", queryset=Pollutant.objects.all())
    value_mg_l = serializers.FloatField(min_value=0)
    sampled_at = serializers.DateTimeField(required=False, allow_null=True)

    class Meta:
        model = Sample
        fields = ["id", "location", "pollutant", "value_mg_l", "sampled_at", "sampled_by"]


class EventSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    event_type = serializers.CharField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(allow_null=True)
    data = serializers.DictField()


class IntakeSerializer(serializers.Serializer):
    feature = serializers.IntegerField()
    suspended = serializers.BooleanField()


class ProcedureSerializer(serializers.Serializer):
    trigger = serializers.ChoiceField(choices=["sensitive_groups", "officer"])
    note = serializers.CharField(required=False, allow_blank=True, default="")


class DeliverySerializer(serializers.Serializer):
    """Completing a reporting task: who reported to whom, how and when."""

    note = serializers.CharField(required=False, allow_blank=True, default="")
    reported_by = serializers.CharField()
    reported_to = serializers.ListField(child=serializers.CharField(), allow_empty=False)
    via = serializers.ChoiceField(choices=ReportingDeadline.Via.choices)
    reported_at = serializers.DateTimeField(required=False, allow_null=True)


class ContactField(serializers.Serializer):
    name = serializers.CharField(max_length=64)
    phone = serializers.CharField(max_length=32)


class ReportCreateSerializer(serializers.Serializer):
    """What the duty officer gives; the rest of the content comes from the record."""

    kind = serializers.ChoiceField(choices=InformationReport.Kind.choices)
    signatory = serializers.CharField(max_length=64)
    contact = ContactField()
    unit = serializers.CharField(max_length=96, required=False, allow_blank=True, default="")
    place = serializers.CharField(required=False, allow_blank=True, default="")
    source = serializers.CharField(required=False, allow_blank=True, default="")
    cause = serializers.CharField(required=False, allow_blank=True, default="")
    course = serializers.CharField(required=False, allow_blank=True, default="")
    handling = serializers.CharField(required=False, allow_blank=True, default="")
    next_steps = serializers.CharField(required=False, allow_blank=True, default="")
    changes = serializers.CharField(required=False, allow_blank=True, default="")
    results = serializers.CharField(required=False, allow_blank=True, default="")
    indirect_harm = serializers.CharField(required=False, allow_blank=True, default="")
    losses = serializers.CharField(required=False, allow_blank=True, default="")
    social_impact = serializers.CharField(required=False, allow_blank=True, default="")
    problems = serializers.CharField(required=False, allow_blank=True, default="")
    accountability = serializers.CharField(required=False, allow_blank=True, default="")


class InformationReportSerializer(serializers.ModelSerializer):
    issued_by = serializers.CharField(source="issued_by_name", read_only=True)
    contact = serializers.SerializerMethodField()
    html_url = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = InformationReport
        fields = [
            "id", "incident", "kind", "number", "issued_at", "issued_by", "signatory", "contact", "unit", "content",
            "html_url", "pdf_url",
        ]  # fmt: skip

    def get_contact(self, report) -> dict:
        return {"name": report.contact_name, "phone": report.contact_phone}

    def get_html_url(self, report) -> str:
        return f"/board/reports/{report.pk}/"

    def get_pdf_url(self, report) -> str:
        return f"/api/reports/{report.pk}/pdf/"
