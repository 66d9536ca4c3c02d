from __future__ import annotations

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import AdminArea, Contact, Department, Shift
from .roles import roles_of
from .services import department_of


class DepartmentSerializer(serializers.ModelSerializer):
    area = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Department
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "kind",
            "is_coordinator",
            "area",
            "jurisdiction",
            "duty_phone",
            "active",
        ]


class AdminAreaSerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = AdminArea
        fields = ["id", "code", "name", "name_en", "level", "parent"]


class ContactSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all())
    # Validation (E.164 normalisation) happens in services.save_contact, the only writer.
    mobile = serializers.CharField(max_length=32)

    class Meta:
        model = Contact
        fields = [
            "id",
            "department",
            "name",
            "title",
            "duty_role",
            "mobile",
            "email",
            "priority",
            "active",
            "number_status",
            "number_error",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["number_status", "number_error", "created_at", "updated_at"]

    def validate_priority(self, value):
        if value < 1:
            raise serializers.ValidationError(_("Priority starts at 1."))
        return value


class ShiftSerializer(serializers.ModelSerializer):
    department = serializers.SlugRelatedField(slug_field="code", queryset=Department.objects.all())
    contact = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all())
    contact_name = serializers.CharField(source="contact.name", read_only=True)

    class Meta:
        model = Shift
        fields = ["id", "department", "contact", "contact_name", "start", "end", "note"]


class MeSerializer(serializers.ModelSerializer):
    roles = serializers.SerializerMethodField()
    department = serializers.SerializerMethodField()

    class Meta:
        model = get_user_model()
        fields = ["id", "username", "first_name", "last_name", "roles", "department"]

    def get_roles(self, user) -> list[str]:
        return roles_of(user)

    def get_department(self, user) -> str | None:
        department = department_of(user)
        return department.code if department else None
