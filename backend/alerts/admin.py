from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .models import AckToken, Escalation, EscalationPolicy, EscalationStep, InboundMessage, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["pk", "incident", "contact", "to", "kind", "status", "error_code", "attempts", "created_at"]
    list_filter = ["status", "kind"]
    search_fields = ["to", "provider_sid", "contact__name"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False  # notifications are written by the services only


class EscalationStepInline(admin.TabularInline):
    model = EscalationStep
    extra = 0
    fields = ["order", "wait_minutes", "target", "contacts"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EscalationPolicy)
class EscalationPolicyAdmin(admin.ModelAdmin):
    """Read-only here: a ladder is edited on /escalation/{code}/ (or PUT /api/escalation-policies/),
    where services.policies.save_policy checks it and moves escalations under way."""

    list_display = ["department", "active", "repeat_last", "edit_link"]
    readonly_fields = ["department", "active", "repeat_last", "edit_link"]
    inlines = [EscalationStepInline]

    @admin.display(description=_("edit"))
    def edit_link(self, policy):
        url = reverse("alerts:escalation-policy-edit", args=[policy.department.code])
        return format_html('<a href="{}">{}</a>', url, _("edit the ladder"))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ["incident", "department", "steps_done", "next_at", "stopped_at", "stop_reason"]
    readonly_fields = [f.name for f in Escalation._meta.fields]


@admin.register(InboundMessage)
class InboundMessageAdmin(admin.ModelAdmin):
    list_display = ["received_at", "from_number", "body", "result", "acknowledged"]
    readonly_fields = [f.name for f in InboundMessage._meta.fields]


@admin.register(AckToken)
class AckTokenAdmin(admin.ModelAdmin):
    # Only the key's hash is stored; the admin never had the key to show.
    list_display = ["pk", "contact", "incident", "created_at", "expires_at", "used_at", "revoked_at"]
    readonly_fields = [f.name for f in AckToken._meta.fields]
