"""REST API of the board. Every write goes through services; permissions.py decides."""

from __future__ import annotations

from django.db.models import Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action, api_view, permission_classes
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from backend.directory.services import department_of
from backend.idempotency import idempotent
from plans.models import ResponsePlan

from . import permissions, services
from .models import Incident, InformationReport, PlanActivation, Task
from .serializers import (
    ActivateSerializer,
    CompleteSerializer,
    DeliverySerializer,
    EventSerializer,
    ImpactSerializer,
    IncidentCreateSerializer,
    IncidentDetailSerializer,
    IncidentListSerializer,
    InformationReportSerializer,
    IntakeSerializer,
    LevelSerializer,
    NewTaskSerializer,
    NoteSerializer,
    ProcedureSerializer,
    ReasonSerializer,
    ReassignSerializer,
    ReportCreateSerializer,
    SampleSerializer,
    StatusSerializer,
    SummarySerializer,
    TaskSerializer,
)


def _valid(serializer_class, request):
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _detail_prefetches() -> tuple[Prefetch, Prefetch]:
    """What IncidentDetailSerializer reads of an incident's tasks and activations, each in one query."""
    return (
        Prefetch("tasks", queryset=Task.objects.select_related("department")),
        Prefetch("activations", queryset=PlanActivation.objects.select_related("plan__river")),
    )


class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    queryset = Incident.objects.select_related("river", "plan__river", "pollutant")
    permission_classes = [IsAuthenticated]

    def get_serializer_class(self):
        return IncidentListSerializer if self.action == "list" else IncidentDetailSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("exercise", bool, description="true: drill incidents only (default: real only)"),
            OpenApiParameter("status", str, description="a status, or 'open' for all but closed"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        query = permissions.visible_incidents(self.request.user, super().get_queryset())
        if self.action == "list":
            # Drills never mix with real incidents in lists and statistics.
            query = query.filter(exercise=self.request.query_params.get("exercise") in ("true", "1"))
            wanted = self.request.query_params.get("status")
            if wanted == "open":
                query = query.exclude(status=Incident.Status.CLOSED)
            elif wanted:
                query = query.filter(status=wanted)
        elif self.action == "retrieve":
            query = query.select_related("reporting_deadline__task").prefetch_related(*_detail_prefetches())
        return query.order_by("-reported_at")

    def _incident(self, command=False) -> Incident:
        incident = self.get_object()
        if command and not permissions.can_command(self.request.user, incident):
            raise PermissionDenied(_("Only the duty officer may do this."))
        return incident

    def _detail(self, incident, code=status.HTTP_200_OK):
        # The caller has the incident from a visible queryset or has just written it: re-read it
        # by pk, with everything the body shows in a fixed number of queries (not one per task
        # or per part of the body).
        fresh = (
            Incident.objects.select_related("river", "plan__river", "pollutant", "reporting_deadline__task")
            .prefetch_related(*_detail_prefetches())
            .get(pk=incident.pk)
        )
        return Response(IncidentDetailSerializer(fresh, context={"request": self.request}).data, status=code)

    @extend_schema(
        request=IncidentCreateSerializer,
        responses={201: IncidentDetailSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key", str, OpenApiParameter.HEADER,
                description="repeat within 24 h → the first answer; different body → 422",
            )
        ],
    )  # fmt: skip
    @idempotent("incidents.create")
    def create(self, request):
        data = _valid(IncidentCreateSerializer, request)
        if not request.user.has_perm("incidents.add_incident"):
            raise PermissionDenied(_("Only duty officers open incidents."))
        incident = services.open_incident(actor=request.user, **data)
        # The body from what the opening wrote and holds (its tasks and activation, given to the
        # serializer as if prefetched, and its reporting deadline, cached by its create): the
        # critical path reads nothing back (tests/incidents/test_opening_body.py).
        incident._prefetched_objects_cache = incident.written_at_opening
        return Response(IncidentDetailSerializer(incident, context={"request": request}).data, status.HTTP_201_CREATED)

    @extend_schema(
        parameters=[OpenApiParameter("after", int, description="events with seq greater than this (default 0)")],
        responses=EventSerializer(many=True),
    )
    @action(detail=True, methods=["get"])
    def events(self, request, pk=None):
        incident = self._incident()
        try:
            after = int(request.query_params.get("after", 0))
        except ValueError:
            raise ValidationError({"after": ["An integer sequence number."]}) from None
        return Response(services.events_after(incident.pk, after))

    @extend_schema(request=LevelSerializer, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def level(self, request, pk=None):
        incident = self._incident(command=True)
        data = _valid(LevelSerializer, request)
        return self._detail(services.change_level(incident, data["level"], data["reason"], actor=request.user))

    @extend_schema(request=ImpactSerializer, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def impact(self, request, pk=None):
        """What is known of deaths, poisoned, evacuated and direct loss: the suggested level follows."""
        incident = self._incident(command=True)
        data = _valid(ImpactSerializer, request)
        return self._detail(services.update_impact(incident, actor=request.user, **data))

    @extend_schema(request=StatusSerializer, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"], url_path="status")
    def set_status(self, request, pk=None):
        incident = self._incident(command=True)
        data = _valid(StatusSerializer, request)
        return self._detail(
            services.change_status(incident, data["status"], summary=data["summary"], actor=request.user)
        )

    @extend_schema(request=SummarySerializer, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        incident = self._incident(command=True)
        data = _valid(SummarySerializer, request)
        return self._detail(services.close_incident(incident, data["summary"], actor=request.user))

    @extend_schema(request=ReasonSerializer, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        incident = self._incident(command=True)
        data = _valid(ReasonSerializer, request)
        return self._detail(services.reopen_incident(incident, data["reason"], actor=request.user))

    @extend_schema(request=NoteSerializer, responses={201: EventSerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        incident = self._incident()
        if not permissions.can_note(request.user, incident):
            raise PermissionDenied(_("You may not add notes to this incident."))
        data = _valid(NoteSerializer, request)
        services.add_note(incident, data["text"], actor=request.user)
        return Response(services.events_after(incident.pk, 0)[-1], status=status.HTTP_201_CREATED)

    @extend_schema(request=NewTaskSerializer, responses={201: TaskSerializer})
    @action(detail=True, methods=["post"])
    def tasks(self, request, pk=None):
        incident = self._incident(command=True)
        data = _valid(NewTaskSerializer, request)
        task = services.add_task(incident, actor=request.user, **data)
        return Response(TaskSerializer(task).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=SampleSerializer, responses={201: SampleSerializer})
    @action(detail=True, methods=["post"])
    def samples(self, request, pk=None):
        incident = self._incident()
        if not permissions.can_record_sample(request.user, incident):
            raise PermissionDenied(_("You may not record samples on this incident."))
        data = _valid(SampleSerializer, request)
        sample = services.record_sample(incident, actor=request.user, **data)
        return Response(SampleSerializer(sample).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ActivateSerializer, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        """One-click activation of another river's approved plan that the trace reaches."""
        incident = self._incident(command=True)
        data = _valid(ActivateSerializer, request)
        plan = ResponsePlan.objects.filter(pk=data["plan"]).first()
        if plan is None:
            raise ValidationError({"plan": [f"No plan with id {data['plan']}."]})
        services.activate_plan(incident, plan, actor=request.user)
        return self._detail(incident)

    @extend_schema(request=IntakeSerializer, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"])
    def intakes(self, request, pk=None):
        """A drinking-water intake cut off (`suspended: true`) or restored: a confirmed level reason."""
        incident = self._incident()
        if not permissions.can_set_intake(request.user, incident):
            raise PermissionDenied("Only the duty officer or the water department's liaison may do this.")
        data = _valid(IntakeSerializer, request)
        return self._detail(services.set_intake(incident, data["feature"], data["suspended"], actor=request.user))

    @extend_schema(request=ProcedureSerializer, responses=IncidentDetailSerializer)
    @action(detail=True, methods=["post"], url_path="reporting-procedure")
    def reporting_procedure(self, request, pk=None):
        """The officer puts the reporting through the II/I procedure (sensitive groups, or judgement)."""
        incident = self._incident(command=True)
        data = _valid(ProcedureSerializer, request)
        return self._detail(services.declare_trigger(incident, data["trigger"], data["note"], actor=request.user))

    @extend_schema(request=ReportCreateSerializer, responses={200: InformationReportSerializer(many=True),
                                                              201: InformationReportSerializer})  # fmt: skip
    @action(detail=True, methods=["get", "post"])
    def reports(self, request, pk=None):
        """The information reports issued on the incident (GET), or issue one (POST, duty officer)."""
        incident = self._incident(command=request.method == "POST")
        if request.method == "GET":
            reports = InformationReport.objects.filter(incident=incident).order_by("issued_at", "pk")
            return Response(InformationReportSerializer(reports, many=True).data)
        data = _valid(ReportCreateSerializer, request)
        kind, contact = data.pop("kind"), data.pop("contact")
        signatory, unit = data.pop("signatory"), data.pop("unit")
        from .information import WRITTEN_FIELDS

        extra = {k: v for k, v in data.items() if v and k not in WRITTEN_FIELDS[kind]}
        if extra:
            raise ValidationError({k: ["Not a field of this kind of report."] for k in extra})
        report = services.issue_report(
            incident, kind, signatory=signatory, contact_name=contact["name"], contact_phone=contact["phone"],
            unit=unit, written={k: v for k, v in data.items() if k in WRITTEN_FIELDS[kind]}, actor=request.user,
        )  # fmt: skip
        return Response(InformationReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ReportViewSet(mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """An issued information report: read it, or its PDF. Issued reports never change, so PUT,
    PATCH and DELETE are not routes (405)."""

    queryset = InformationReport.objects.select_related("incident")
    serializer_class = InformationReportSerializer
    permission_classes = [IsAuthenticated]

    def get_queryset(self):
        visible = permissions.visible_incidents(self.request.user, Incident.objects.all())
        return super().get_queryset().filter(incident__in=visible)

    @extend_schema(responses={(200, "application/pdf"): bytes})
    @action(detail=True, methods=["get"])
    def pdf(self, request, pk=None):
        from django.http import HttpResponse

        from .information import render_report_pdf

        report = self.get_object()
        response = HttpResponse(render_report_pdf(report), content_type="application/pdf")
        name = f"report-{report.incident_id}-{report.kind}-{report.number}.pdf"
        response["Content-Disposition"] = f'inline; filename="{name}"'
        return response


class TaskViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Department tasks across incidents (a liaison's view), and the task actions."""

    queryset = Task.objects.select_related("department", "incident__river", "incident__pollutant")
    serializer_class = TaskSerializer
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("department", str, description="department code (default: the user's own)"),
            OpenApiParameter("open", bool, description="only tasks not done"),
            OpenApiParameter("incident", int),
            OpenApiParameter("exercise", bool, description="true: drill tasks only (default: real only)"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        visible = permissions.visible_incidents(self.request.user, Incident.objects.all())
        query = super().get_queryset().filter(incident__in=visible)
        if self.action != "list":
            return query
        params = self.request.query_params
        code = params.get("department")
        if code is None:
            own = department_of(self.request.user)
            code = own.code if own else None
        if code:
            query = query.filter(department__code=code)
        if params.get("incident"):
            query = query.filter(incident_id=params["incident"])
        else:
            query = query.filter(incident__exercise=params.get("exercise") in ("true", "1"))
        if params.get("open") in ("true", "1"):
            query = query.filter(status__in=[Task.Status.PENDING, Task.Status.ACKNOWLEDGED, Task.Status.IN_PROGRESS])
            query = query.filter(~Q(incident__status=Incident.Status.CLOSED))
        return query.order_by("ack_due", "pk")

    def _task(self) -> Task:
        task = get_object_or_404(self.get_queryset(), pk=self.kwargs["pk"])
        if not permissions.can_act_on_task(self.request.user, task):
            raise PermissionDenied(_("Only this department's liaison (or the duty officer) may act on this task."))
        return task

    def _answer(self, task):
        task.refresh_from_db()
        return Response(TaskSerializer(task).data)

    @extend_schema(request=None, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def acknowledge(self, request, pk=None):
        return self._answer(services.acknowledge_task(self._task(), actor=request.user, now=timezone.now()))

    @extend_schema(request=None, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._answer(services.start_task(self._task(), actor=request.user))

    @extend_schema(request=CompleteSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request, pk=None):
        """A reporting task (source `reporting`) is completed with who reported to whom, how and
        when (`reported_by`, `reported_to`, `via`: telephone | written, `reported_at`)."""
        task = self._task()
        if hasattr(task, "reporting_deadline"):
            data = _valid(DeliverySerializer, request)
            return self._answer(services.record_delivery(task, actor=request.user, **data))
        data = _valid(CompleteSerializer, request)
        return self._answer(services.complete_task(task, data["note"], actor=request.user))

    @extend_schema(request=ReassignSerializer, responses=TaskSerializer)
    @action(detail=True, methods=["post"])
    def reassign(self, request, pk=None):
        """A duty officer moves the task to `department`; a liaison asks for reassignment (`reason`)."""
        task = self._task()
        data = _valid(ReassignSerializer, request)
        if permissions.can_command(request.user, task.incident) and data.get("department"):
            return self._answer(services.reassign_task(task, data["department"], data["reason"], actor=request.user))
        if data.get("department") and not permissions.can_command(request.user, task.incident):
            raise PermissionDenied(_("Only the duty officer reassigns; send a reason to ask for reassignment."))
        return self._answer(services.request_reassign(task, data["reason"], actor=request.user))


@extend_schema(responses={(200, "application/cap+xml"): bytes}, description="The incident as an OASIS CAP 1.2 alert.")
@api_view(["GET"])
@permission_classes([IsAuthenticated])
def cap_xml(request, pk: int):
    from django.http import Http404, HttpResponse

    from .sitrep import cap_alert

    incident = Incident.objects.select_related("river").filter(pk=pk).first()
    if incident is None or not permissions.can_view(request.user, incident):
        raise Http404
    return HttpResponse(cap_alert(incident), content_type="application/cap+xml; charset=utf-8")
