"""The board's view of SMS: notifications of an incident, per-department summary, resend;
and the departments' escalation policies."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend.directory.models import Department
from backend.incidents import permissions
from backend.incidents.models import Incident

from .models import Notification
from .serializers import EscalationPolicySerializer, NotificationSerializer
from .services import policies, sending, summary

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
        # As for the incident itself (the room, the API detail): an incident one may not see
        # does not exist; a 403 would confirm that an exercise with this id is running.
        raise Http404
    return incident


def visible_notifications(user, query):
    """Messages about incidents the user may see; messages with no incident (drill notices,
    stock digests: names and numbers) only for the duty office."""
    visible = permissions.visible_incidents(user, Incident.objects.all())
    about_visible = query.filter(incident__in=visible)
    if permissions.is_commander(user):
        return about_visible | query.filter(incident__isnull=True)
    return about_visible


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
        # Detail and resend are filtered like the list: what one may not list is a 404.
        return visible_notifications(self.request.user, query)

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


class EscalationPolicyPermission(BasePermission):
    """Reading needs alerts.view_escalationpolicy (every role has it: who is alerted when is
    no secret among the responding departments); writing needs alerts.change_escalationpolicy
    (administrators and duty officers, see directory/roles.py)."""

    def has_permission(self, request, view):
        verb = "view" if request.method in SAFE_METHODS else "change"
        return request.user.is_authenticated and request.user.has_perm(f"alerts.{verb}_escalationpolicy")


def flatten_errors(errors, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested errors ({"steps": [{}, {"wait_minutes": [...]}]}) as one level keyed like
    the services' ({"steps[1].wait_minutes": [...]}), so a client meets one shape."""
    flat: dict[str, list[str]] = {}
    if isinstance(errors, dict):
        for key, value in errors.items():
            if isinstance(key, int):
                name = f"{prefix}[{key}]"
            elif key == "non_field_errors" and prefix:
                name = prefix  # {"steps": {"non_field_errors": ["Expected a list"]}} is about steps
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(flatten_errors(value, name))
    elif isinstance(errors, list) and all(isinstance(item, str) for item in errors):
        flat[prefix or "non_field_errors"] = [str(item) for item in errors]
    elif isinstance(errors, list):
        for index, item in enumerate(errors):
            if item:
                flat.update(flatten_errors(item, f"{prefix}[{index}]"))
    else:
        flat[prefix or "non_field_errors"] = [str(errors)]
    return flat


class EscalationPolicyViewSet(viewsets.GenericViewSet):
    """Each department's escalation ladder, addressed by the department's code.

    GET list / detail: every signed-in role (each department's policy, or the default ladder
    with `configured: false` when it has none). PUT: administrators and duty officers only;
    replaces the policy and all its steps in one transaction. 400 names the field as
    `steps[i].wait_minutes` (i from 0); 404 for an unknown department code; 403 otherwise.
    """

    queryset = Department.objects.prefetch_related("escalation_policy__steps__contacts").order_by("sort_order", "code")
    serializer_class = EscalationPolicySerializer
    permission_classes = [IsAuthenticated, EscalationPolicyPermission]
    filter_backends = []
    lookup_field = "code"
    lookup_url_kwarg = "department_code"
    lookup_value_regex = r"[-a-zA-Z0-9_]+"

    @extend_schema(responses={200: EscalationPolicySerializer(many=True)})
    def list(self, request):
        page = self.paginate_queryset(self.get_queryset().filter(active=True))
        data = [self.get_serializer(policies.effective_policy(d)).data for d in page]
        return self.get_paginated_response(data)

    @extend_schema(responses={200: EscalationPolicySerializer})
    def retrieve(self, request, department_code=None):
        return Response(self.get_serializer(policies.effective_policy(self.get_object())).data)

    @extend_schema(request=EscalationPolicySerializer, responses={200: EscalationPolicySerializer})
    def update(self, request, department_code=None):
        department = self.get_object()
        body = self.get_serializer(data=request.data)
        if not body.is_valid():
            raise ValidationError(flatten_errors(body.errors))
        policies.save_policy(department, **body.validated_data, actor=request.user)
        # Read back from the database: the answer shows what was stored, not what was sent.
        department = self.get_queryset().get(pk=department.pk)
        return Response(self.get_serializer(policies.effective_policy(department)).data)
