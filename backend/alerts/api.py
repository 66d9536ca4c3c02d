"""The board's view of SMS: notifications of an incident, per-department summary, resend."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.incidents import permissions
from backend.incidents.models import Incident

from .models import Notification
from .serializers import NotificationSerializer
from .services import sending, summary

INCIDENT_PARAM = OpenApiParameter("incident", int, description="the incident's id", required=False)


def _incident_param(request, required: bool) -> Incident | None:
    raw = request.query_params.get("incident")
    if raw in (None, ""):
        if required:
            raise ValidationError({"incident": ["This query parameter is required."]})
        return None
    if not str(raw).isdigit():
        raise ValidationError({"incident": ["A number is required."]})
    incident = get_object_or_404(Incident, pk=int(raw))
    if not permissions.can_view(request.user, incident):
        raise PermissionDenied()
    return incident


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Notification.objects.select_related("contact", "department").order_by("-created_at", "-pk")
    serializer_class = NotificationSerializer
    permission_classes = [IsAuthenticated]
    filter_backends = []

    def get_queryset(self):
        query = super().get_queryset()
        if self.action == "list":
            incident = _incident_param(self.request, required=False)
            if incident is not None:
                return query.filter(incident=incident)
            visible = permissions.visible_incidents(self.request.user, Incident.objects.all())
            return query.filter(incident__in=visible)
        return query

    def get_object(self):
        notification = super().get_object()
        if notification.incident_id and not permissions.can_view(self.request.user, notification.incident):
            raise PermissionDenied()
        return notification

    @extend_schema(parameters=[INCIDENT_PARAM])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={201: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def resend(self, request, pk=None):
        """Send again (unknown, failed or undelivered): duty officers only."""
        notification = self.get_object()
        allowed = (
            permissions.can_command(request.user, notification.incident)
            if notification.incident_id
            else (permissions.is_commander(request.user))
        )
        if not allowed:
            raise PermissionDenied()
        copy = sending.resend(notification, actor=request.user)
        return Response(NotificationSerializer(copy).data, status=status.HTTP_201_CREATED)


class NotificationSummaryView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(parameters=[OpenApiParameter("incident", int, required=True)], responses={200: dict})
    def get(self, request):
        incident = _incident_param(request, required=True)
        return Response({"incident": incident.pk, "departments": summary.department_summary(incident.pk)})
