"""Admin for the directory. Edits go through the services so the same rules apply."""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from leaflet.admin import LeafletGeoAdmin

from backend.admin_support import ServiceAdminMixin, adopt

from . import services, signals, users
from .auth_views import AdminLoginForm
from .models import AdminArea, Contact, Department, Shift, UserProfile


@admin.register(AdminArea)
class AdminAreaAdmin(LeafletGeoAdmin):
    list_display = ["code", "name", "name_en", "level", "parent"]
    list_filter = ["level"]
    search_fields = ["code", "name", "name_en"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        signals.areas_changed.send(sender=AdminArea)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        signals.areas_changed.send(sender=AdminArea)


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_en", "kind", "is_coordinator", "active"]
    list_filter = ["kind", "active"]
    search_fields = ["code", "name", "name_en"]


@admin.register(Contact)
class ContactAdmin(ServiceAdminMixin, admin.ModelAdmin):
    list_display = ["name", "department", "duty_role", "mobile", "priority", "active", "number_status"]
    list_filter = ["department", "active", "number_status"]
    search_fields = ["name", "mobile"]

    def save_model(self, request, obj, form, change):
        fields = {name: form.cleaned_data[name] for name in services.CONTACT_FIELDS if name in form.cleaned_data}
        # The service compares with the stored row (a new mobile clears a refused number's
        # status), so it gets the row as stored, not the admin's copy with the form applied.
        stored = Contact.objects.get(pk=obj.pk) if change else None
        adopt(obj, services.save_contact(contact=stored, **fields))


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


class UserAdmin(DjangoUserAdmin):
    """A user who ever acted is deactivated, never deleted (backend/directory/users.py)."""

    actions = ["deactivate_selected"]

    def has_delete_permission(self, request, obj=None):
        if obj is not None and users.has_acted(obj):
            return False
        return super().has_delete_permission(request, obj)

    def delete_model(self, request, obj):
        users.delete_user(obj)

    def delete_queryset(self, request, queryset):
        for user in queryset:
            if users.has_acted(user):
                self.message_user(request, users.refusal_message(user), messages.ERROR)
            else:
                users.delete_user(user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        user = self.get_object(request, object_id)
        if user is not None and users.has_acted(user) and request.method == "GET":
            self.message_user(request, users.refusal_message(user), messages.INFO)
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description=_("Deactivate the selected users"))
    def deactivate_selected(self, request, queryset):
        for user in queryset:
            users.deactivate_user(user)


admin.site.unregister(get_user_model())
admin.site.register(get_user_model(), UserAdmin)

# The admin's login form refuses locked-out usernames like the login page (lockout.py).
admin.site.login_form = AdminLoginForm
