"""Admin: read and correct drills, through the same services as the API (docs/architecture.md,
"The admin"): a start time edited here re-times the injects and tells the participants, as
`PATCH /api/drills/{id}/` does. State changes (start, deliver, pause, end) belong to the
console, so the clock fields are read-only; a drill that ended or was cancelled is read-only
as a whole, and one that ran cannot be deleted (its record stays)."""

from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from backend.admin_support import ServiceAdminMixin, adopt

from . import services
from .models import Drill, DrillNotice, Evaluation, ImprovementItem, Inject, Observation
from .services.planning import DRILL_FIELDS, INJECT_FIELDS, M2M_FIELDS, NOT_STARTED, UNDER_WAY


class InjectInline(admin.TabularInline):
    model = Inject
    extra = 0
    fields = ["number", "offset_minutes", "from_sender", "to_department", "message", "expected_action", "due_at",
              "delivered_at", "skipped"]  # fmt: skip
    readonly_fields = ["due_at", "delivered_at", "skipped"]


@admin.register(Drill)
class DrillAdmin(ServiceAdminMixin, LeafletGeoAdmin):  # the local Leaflet widget, not OpenLayers from a CDN
    list_display = ["title", "scheduled_start", "status", "form", "scope", "trainer"]
    list_filter = ["status", "form", "scope"]
    search_fields = ["title"]
    readonly_fields = ["status", "incident", "started_at", "ended_at", "paused_at", "paused_seconds", "created_by"]
    filter_horizontal = ["departments", "evaluators", "observers"]
    inlines = [InjectInline]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.status in (*NOT_STARTED, *UNDER_WAY))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or obj.incident_id is None)

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in DRILL_FIELDS | M2M_FIELDS if name in form.cleaned_data}
        if change:
            changed = {name: value for name, value in fields.items() if name in form.changed_data}
            saved = services.update_drill(obj, actor=request.user, **changed)
        else:
            saved = services.schedule_drill(actor=request.user, **fields)
        adopt(obj, saved)

    def save_related(self, request, form, formsets, change):
        # The people (many-to-many) went through the service in save_model.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request, form, formset, change):
        drill = form.instance
        for inject in formset.save(commit=False):
            fields = {name: getattr(inject, name) for name in INJECT_FIELDS}
            adopt(inject, services.save_inject(drill, inject=inject if inject.pk else None, **fields))
        for inject in formset.deleted_objects:
            services.delete_inject(inject)

    def delete_model(self, request, obj):
        services.delete_drill(obj)


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
