"""Admin for the directory. Edits go through the services so the same rules apply."""

from django.contrib import admin
from leaflet.admin import LeafletGeoAdmin

from . import services
from .auth_views import AdminLoginForm
from .models import AdminArea, Contact, Department, Shift, UserProfile


@admin.register(AdminArea)
class AdminAreaAdmin(LeafletGeoAdmin):
    list_display = ["code", "name", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "kind", "is_coordinator", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "department", "duty_role", "mobile", "priority", "active", "number_status"]
    list_filter = ["department", "active", "number_status"]
    search_fields = ["name", "mobile"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.CONTACT_FIELDS if name in form.cleaned_data}
        services.save_contact(contact=obj if change else None, **fields)


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ["department", "contact", "start", "end"]
    list_filter = ["department"]
    date_hierarchy = "start"

    def save_model(self, request, obj, form, change):
        services.save_shift(shift=obj)


@admin.register(UserProfile)
class UserProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "department"]


# The admin's login form refuses locked-out usernames like the login page (lockout.py).
admin.site.login_form = AdminLoginForm
