"""Admin: read and correct drills. State changes (start, deliver, pause, end) belong to the
services and the console, so the clock fields are read-only here."""

from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from .models import Drill, DrillNotice, Evaluation, ImprovementItem, Inject, Observation


class InjectInline(admin.TabularInline):
    model = Inject
    extra = 0
    fields = ["number", "offset_minutes", "from_sender", "to_department", "message", "expected_action", "due_at",
              "delivered_at", "skipped"]  # fmt: skip
    readonly_fields = ["due_at", "delivered_at", "skipped"]


@admin.register(Drill)
class DrillAdmin(LeafletGeoAdmin):  # the local Leaflet widget, not OpenLayers from a CDN
    list_display = ["title", "scheduled_start", "status", "form", "scope", "trainer"]
    list_filter = ["status", "form", "scope"]
    search_fields = ["title"]
    readonly_fields = ["status", "incident", "started_at", "ended_at", "paused_at", "paused_seconds"]
    filter_horizontal = ["departments", "evaluators", "observers"]
    inlines = [InjectInline]


@admin.register(Evaluation)
class EvaluationAdmin(admin.ModelAdmin):
    list_display = ["drill", "task", "evaluator", "rating"]
    list_filter = ["rating"]


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ["drill", "kind", "department", "text"]
    list_filter = ["kind"]


@admin.register(ImprovementItem)
class ImprovementItemAdmin(admin.ModelAdmin):
    list_display = ["issue", "department", "owner", "due_date", "status", "drill"]
    list_filter = ["status", "department"]


@admin.register(DrillNotice)
class DrillNoticeAdmin(admin.ModelAdmin):
    list_display = ["drill", "kind", "created_at", "message"]
