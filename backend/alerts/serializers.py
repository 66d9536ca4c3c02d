from __future__ import annotations

from rest_framework import serializers

from .models import Notification


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
