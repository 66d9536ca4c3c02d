"""Admin of inventory. Depots, items and minimums are edited through the services; stock,
the ledger and dispatches are read-only here (they change only through their verbs)."""

from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from . import services
from .models import Depot, Dispatch, DispatchLot, Item, Lot, Movement, StockMinimum


def _fields(form, exclude=()):
    return {name: value for name, value in form.cleaned_data.items() if name not in exclude}


@admin.register(Depot)
class DepotAdmin(LeafletGeoAdmin):
    list_display = ["code", "name", "level", "department", "is_24h", "active"]
    list_filter = ["level", "active", "department"]
    search_fields = ["code", "name", "address"]
    filter_horizontal = ["managers"]
    autocomplete_fields = ["manager"]

    def save_model(self, request, obj, form, change):
        obj = services.save_depot(depot=obj, **_fields(form, exclude=("managers",)))

    def save_related(self, request, form, formsets, change):
        services.save_depot(depot=form.instance, managers=form.cleaned_data.get("managers", []))
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)


@admin.register(Item)
class ItemAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "category", "unit", "unit_en", "shelf_life_days", "consumable", "active"]
    list_filter = ["category", "consumable", "active"]
    search_fields = ["code", "name", "name_en"]

    def save_model(self, request, obj, form, change):
        services.save_item(item=obj, **_fields(form))


@admin.register(StockMinimum)
class StockMinimumAdmin(admin.ModelAdmin):
    list_display = ["depot", "item", "minimum"]
    list_filter = ["depot"]

    def save_model(self, request, obj, form, change):
        saved = services.set_minimum(depot=obj.depot, item=obj.item, minimum=obj.minimum)
        obj.pk = saved.pk


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Lot)
class LotAdmin(ReadOnlyAdmin):
    list_display = ["depot", "item", "code", "quantity", "reserved", "received_on", "expires_on"]
    list_filter = ["depot", "item__category"]
    search_fields = ["code", "item__code", "item__name", "depot__code"]
    date_hierarchy = "expires_on"


@admin.register(Movement)
class MovementAdmin(ReadOnlyAdmin):
    list_display = ["at", "kind", "depot", "item", "lot", "quantity", "amount", "incident_id", "actor", "reason"]
    list_filter = ["kind", "depot"]
    search_fields = ["lot__code", "item__code", "reason"]
    date_hierarchy = "at"


class DispatchLotInline(admin.TabularInline):
    model = DispatchLot
    extra = 0
    can_delete = False
    readonly_fields = ["lot", "quantity", "returned"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Dispatch)
class DispatchAdmin(ReadOnlyAdmin):
    list_display = ["pk", "incident_id", "depot", "item", "quantity", "status", "requested_at"]
    list_filter = ["status", "depot"]
    inlines = [DispatchLotInline]
