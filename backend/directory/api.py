"""REST API of the directory (DRF). Writes go through services; permissions.py decides."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from . import services
from .models import AdminArea, Contact, Department, Shift
from .permissions import DepartmentScoped, ModelPermissions, can_manage_department
from .serializers import AdminAreaSerializer, ContactSerializer, DepartmentSerializer, MeSerializer, ShiftSerializer


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user).data)


class DepartmentViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = Department.objects.select_related("area")
    serializer_class = DepartmentSerializer
    permission_classes = [IsAuthenticated, ModelPermissions]
    filterset_fields = ["kind", "active"]

    @extend_schema(responses=ContactSerializer(many=True))
    @action(detail=True, url_path="on-duty")
    def on_duty(self, request, pk=None):
        """The contacts to alert now: on shift, or else the priority-1 contact."""
        return Response(ContactSerializer(services.on_duty(self.get_object()), many=True).data)


class AdminAreaViewSet(viewsets.ReadOnlyModelViewSet):
    # The outlines are not served here (a province's is hundreds of kB): never load them.
    queryset = AdminArea.objects.select_related("parent").defer("boundary", "parent__boundary")
    serializer_class = AdminAreaSerializer
    permission_classes = [IsAuthenticated, ModelPermissions]
    filterset_fields = ["level"]


class ContactViewSet(viewsets.ModelViewSet):
    queryset = Contact.objects.select_related("department")
    serializer_class = ContactSerializer
    permission_classes = [IsAuthenticated, DepartmentScoped]
    filterset_fields = ["department__code", "active", "number_status"]

    def _check_department(self, department):
        if not can_manage_department(self.request.user, department):
            raise PermissionDenied(_("You may only manage contacts of your own department."))

    def perform_create(self, serializer):
        self._check_department(serializer.validated_data["department"])
        serializer.instance = services.save_contact(**serializer.validated_data)

    def perform_update(self, serializer):
        if "department" in serializer.validated_data:
            self._check_department(serializer.validated_data["department"])
        serializer.instance = services.save_contact(contact=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.deactivate_contact(instance)


class ShiftViewSet(viewsets.ModelViewSet):
    queryset = Shift.objects.select_related("department", "contact")
    serializer_class = ShiftSerializer
    permission_classes = [IsAuthenticated, DepartmentScoped]

    @extend_schema(
        parameters=[
            OpenApiParameter("department", str, description="department code"),
            OpenApiParameter("start", str, description="ISO time; default now"),
            OpenApiParameter("end", str, description="ISO time; default start + 7 days"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        query = super().get_queryset()
        if self.action != "list":
            return query
        params = self.request.query_params
        start = self._time(params.get("start"), "start") or timezone.now()
        end = self._time(params.get("end"), "end") or start + timedelta(days=7)
        query = query.filter(start__lt=end, end__gt=start)
        if params.get("department"):
            query = query.filter(department__code=params["department"])
        return query.order_by("start")

    @staticmethod
    def _time(raw, field):
        if not raw:
            return None
        value = parse_datetime(raw)
        if value is None:
            raise ValidationError({field: [f"“{raw}” is not an ISO 8601 time."]})
        return value if timezone.is_aware(value) else timezone.make_aware(value)

    def _check_department(self, department):
        if not can_manage_department(self.request.user, department):
            raise PermissionDenied(_("You may only manage the roster of your own department."))

    def perform_create(self, serializer):
        self._check_department(serializer.validated_data["department"])
        serializer.instance = services.save_shift(**serializer.validated_data)

    def perform_update(self, serializer):
        if "department" in serializer.validated_data:
            self._check_department(serializer.validated_data["department"])
        serializer.instance = services.save_shift(shift=serializer.instance, **serializer.validated_data)

    def perform_destroy(self, instance):
        services.delete_shift(instance)
