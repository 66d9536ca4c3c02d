"""Admin of plans, with Leaflet widgets for the geometry. Saves go through plans.services so
chainages, versions and rules are the same as over the API."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

from backend.admin_support import ServiceAdminMixin, adopt
from backend.domain import DomainRefusal

from . import services
from .models import EnterprisePlanFiling, Measure, Pollutant, ResponsePlan, River, RiverFeature, TaskTemplate
from .services.filings import FILING_FIELDS
from .services.pollutants import POLLUTANT_FIELDS
from .services.rivers import FEATURE_FIELDS, RIVER_FIELDS


def _changed(form, allowed: set[str]) -> dict:
    return {name: value for name, value in form.cleaned_data.items() if name in allowed}


@admin.register(River)
class RiverAdmin(ServiceAdminMixin, LeafletGeoAdmin):
    list_display = ["code", "name", "name_en", "outlet", "length_km", "velocity_ms", "flow_m3s", "dispersion_m2s"]
    search_fields = ["code", "name", "name_en"]
    readonly_fields = ["length_m", "confluence_chainage_m"]

    def save_model(self, request, obj, form, change):
        fields = _changed(form, RIVER_FIELDS)
        if change:
            obj.refresh_from_db()
        adopt(obj, services.save_river(river=obj if change else None, **fields))

    def delete_model(self, request, obj):
        services.delete_river(obj)


@admin.register(RiverFeature)
class RiverFeatureAdmin(ServiceAdminMixin, LeafletGeoAdmin):
    list_display = ["name", "kind", "river", "chainage_m", "water_class", "setup_minutes", "risk_grade"]
    list_filter = ["kind", "river", "receptor_type", "space_type", "source_type"]
    search_fields = ["name"]
    readonly_fields = ["chainage_m", "offset_m"]

    def save_model(self, request, obj, form, change):
        fields = _changed(form, FEATURE_FIELDS)
        if change:
            obj.refresh_from_db()
        adopt(obj, services.save_feature(feature=obj if change else None, **fields))

    def delete_model(self, request, obj):
        services.delete_feature(obj)


@admin.register(Pollutant)
class PollutantAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["code", "name", "category", "limit_i", "limit_ii", "limit_iii", "limit_iv", "limit_v"]
    list_filter = ["category"]
    search_fields = ["code", "name", "name_en"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.refresh_from_db()
        adopt(obj, services.save_pollutant(pollutant=obj if change else None, **_changed(form, POLLUTANT_FIELDS)))


class TaskTemplateInline(admin.TabularInline):
    model = TaskTemplate
    extra = 0


class MeasureInline(admin.TabularInline):
    model = Measure
    extra = 0
    raw_id_fields = ["space"]


@admin.register(ResponsePlan)
class ResponsePlanAdmin(ServiceAdminMixin, admin.ModelAdmin):
    """Plans are written through the API or the services; the admin shows them and can approve
    or copy one (inline rows are read-only once a plan is not a draft)."""

    list_display = ["river", "version", "title", "status", "approved_at", "approved_by"]
    list_filter = ["status", "river"]
    readonly_fields = ["version", "status", "created_at", "created_by", "approved_at", "approved_by"]
    inlines = [TaskTemplateInline, MeasureInline]
    actions = ["approve", "new_version"]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.editable)

    def save_model(self, request, obj, form, change):
        if change:
            adopt(obj, services.update_plan(obj, title=obj.title, summary=obj.summary))
        else:
            adopt(obj, services.create_plan(river=obj.river, title=obj.title, summary=obj.summary, user=request.user))

    def save_formset(self, request, form, formset, change):
        writers = {TaskTemplate: services.save_task_template, Measure: services.save_measure}
        deleters = {TaskTemplate: services.delete_task_template, Measure: services.delete_measure}
        for instance in formset.save(commit=False):
            fields = {f.name: getattr(instance, f.name) for f in instance._meta.fields if f.name != "id"}
            writer = writers[type(instance)]
            key = "template" if isinstance(instance, TaskTemplate) else "measure"
            adopt(instance, writer(**{key: instance if instance.pk else None}, **fields))
        for instance in formset.deleted_objects:
            deleters[type(instance)](instance)

    @admin.action(description=_("Approve the selected drafts"))
    def approve(self, request, queryset):
        for plan in queryset:
            try:
                services.approve_plan(plan, user=request.user)
            except (DomainRefusal, ValidationError) as exc:
                self.message_user(request, f"{plan}: {exc}", messages.ERROR)

    @admin.action(description=_("Start a new version of the selected plans"))
    def new_version(self, request, queryset):
        for plan in queryset:
            services.new_plan_version(plan, user=request.user)


@admin.register(EnterprisePlanFiling)
class EnterprisePlanFilingAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["filing_number", "risk_source", "filed_on", "expires_on", "status"]
    list_filter = ["status"]
    search_fields = ["filing_number", "risk_source__name"]
    raw_id_fields = ["risk_source"]

    def save_model(self, request, obj, form, change):
        if change:
            obj.refresh_from_db()
        adopt(obj, services.save_filing(filing=obj if change else None, **_changed(form, FILING_FIELDS)))

    def delete_model(self, request, obj):
        services.delete_filing(obj)
