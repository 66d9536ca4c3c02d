"""Admin for incidents: for reading the record. Changes go through the board (services), so
the event log stays the single history; the admin therefore shows incidents read-only."""

from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from .models import Incident, IncidentEvent, InformationReport, PlanActivation, ReportingDeadline, Sample, Task


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class TaskInline(ReadOnlyInline):
    model = Task
    fields = ["department", "text", "status", "ack_due", "acknowledged_at", "due", "completed_at"]
    readonly_fields = fields


class EventInline(ReadOnlyInline):
    model = IncidentEvent
    fields = ["seq", "event_type", "at", "actor_name", "data"]
    readonly_fields = fields
    ordering = ["seq"]


class ActivationInline(ReadOnlyInline):
    model = PlanActivation
    fields = ["plan", "activated_at", "activated_by"]
    readonly_fields = fields


class ReportingDeadlineInline(ReadOnlyInline):
    model = ReportingDeadline
    fields = ["procedure", "triggers", "recipients", "reported_by", "reported_to", "via", "reported_at"]
    readonly_fields = fields


class ReportInline(ReadOnlyInline):
    """Issued reports: shown, never edited (the database refuses it too)."""

    model = InformationReport
    fields = ["kind", "number", "issued_at", "issued_by_name", "signatory", "contact_name", "contact_phone", "unit"]
    readonly_fields = fields


@admin.register(Incident)
class IncidentAdmin(LeafletGeoAdmin):
    list_display = ["short_code", "title", "kind", "level", "status", "exercise", "river", "reported_at"]
    list_filter = ["status", "exercise", "kind", "level"]
    search_fields = ["short_code", "title", "description"]
    date_hierarchy = "reported_at"
    inlines = [ActivationInline, ReportingDeadlineInline, ReportInline, TaskInline, EventInline]

    def has_add_permission(self, request):
        return False  # incidents are opened on the board, where the plan is activated

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # the log is append-only (a database trigger refuses DELETE on it)


@admin.register(Sample)
class SampleAdmin(LeafletGeoAdmin):
    list_display = ["incident", "pollutant", "value_mg_l", "sampled_at", "sampled_by"]
    list_filter = ["pollutant"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
