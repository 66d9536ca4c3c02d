from django.contrib import admin

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
    extra = 1
    filter_horizontal = ["contacts"]


@admin.register(EscalationPolicy)
class EscalationPolicyAdmin(admin.ModelAdmin):
    list_display = ["department", "active", "repeat_last"]
    inlines = [EscalationStepInline]


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
    list_display = ["key", "contact", "incident", "expires_at", "used_at"]
    readonly_fields = [f.name for f in AckToken._meta.fields]
