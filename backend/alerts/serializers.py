from __future__ import annotations

from rest_framework import serializers

from backend.names import local_name

from .models import EscalationStep, Notification
from .services.policies import describe


class NotificationSerializer(serializers.ModelSerializer):
    incident = serializers.PrimaryKeyRelatedField(read_only=True)
    department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    contact = serializers.SerializerMethodField()
    can_resend = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id", "incident", "department", "contact", "to", "kind", "body", "status", "provider_sid",
            "error_code", "error_message", "attempts", "created_at", "send_after", "sent_at", "delivered_at",
            "failed_at", "status_at", "resend_of", "can_resend",
        ]  # fmt: skip
        read_only_fields = fields

    def get_contact(self, obj) -> dict:
        return {"id": obj.contact_id, "name": obj.contact.name, "number_status": obj.contact.number_status}

    def get_can_resend(self, obj) -> bool:
        return obj.status in (Notification.Status.UNKNOWN, Notification.Status.FAILED, Notification.Status.UNDELIVERED)


class EscalationStepSerializer(serializers.Serializer):
    """One rung of the ladder. `contacts` are contact ids, used only when `target` is
    "contacts"; `wait_minutes` counts from the previous step (1–1440)."""

    id = serializers.IntegerField(read_only=True, allow_null=True)
    order = serializers.IntegerField(read_only=True)
    wait_minutes = serializers.IntegerField()
    target = serializers.ChoiceField(choices=EscalationStep.Target.choices)
    contacts = serializers.ListField(child=serializers.IntegerField(), required=False, default=list)

    def to_representation(self, instance):
        return {
            "id": instance.id,
            "order": instance.order,
            "wait_minutes": instance.wait_minutes,
            "target": instance.target,
            "contacts": [c.pk for c in instance.contacts],
        }


class EscalationPolicySerializer(serializers.Serializer):
    """A department's escalation ladder. Read: the policy in effect (`configured` false means
    the department has none and the default ladder applies; `id` is then null). Write (PUT):
    the whole policy; the steps replace the old ones in the order given."""

    id = serializers.IntegerField(read_only=True, allow_null=True)
    department = serializers.CharField(read_only=True, help_text="the department's code")
    department_name = serializers.CharField(read_only=True)
    configured = serializers.BooleanField(read_only=True)
    active = serializers.BooleanField(required=False, default=True)
    repeat_last = serializers.BooleanField(required=False, default=False)
    steps = EscalationStepSerializer(many=True, allow_empty=True)
    summary = serializers.CharField(read_only=True, help_text="the ladder in words, in the request's language")

    def to_representation(self, instance):
        return {
            "id": instance.id,
            "department": instance.department.code,
            "department_name": local_name(instance.department),
            "configured": instance.configured,
            "active": instance.active,
            "repeat_last": instance.repeat_last,
            "steps": [EscalationStepSerializer().to_representation(s) for s in instance.steps],
            "summary": describe(instance),
        }
