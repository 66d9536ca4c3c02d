"""REST API of drills. Every write goes through drills.services; drills/permissions.py decides.

A drill the user may not see is a 404 (it does not exist for them); one they see but may not
act on is a 403.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from backend import uploads

from . import msel, permissions, services
from .api_evaluation import EvaluationActions
from .models import Drill, ImprovementItem, Inject
from .report import render_report_pdf
from .scorecard import drill_score
from .serializers import (
    DrillReasonSerializer,
    DrillRescheduleSerializer,
    DrillSerializer,
    DrillSummarySerializer,
    ImprovementItemSerializer,
    InjectSerializer,
)
from .trends import department_trends

INJECT_PATH = r"injects/(?P<inject_id>[0-9]+)"


def _valid(serializer_class, request, **kwargs):
    serializer = serializer_class(data=request.data, **kwargs)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _inject_fields(data: dict) -> dict:
    return {("from_sender" if k == "from" else k): v for k, v in data.items()}


class DrillViewSet(EvaluationActions, viewsets.ModelViewSet):
    queryset = Drill.objects.select_related("plan__river", "pollutant", "trainer", "incident").prefetch_related(
        "departments", "evaluators", "observers"
    )
    serializer_class = DrillSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, description="scheduled, running, paused, ended or cancelled"),
            OpenApiParameter("river", str, description="river code"),
            OpenApiParameter("department", str, description="participating department code"),
            OpenApiParameter("month", str, description="YYYY-MM: drills scheduled in that month (calendar)"),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        query = permissions.visible_drills(self.request.user, super().get_queryset())
        params = self.request.query_params
        if self.action == "list":
            if params.get("status"):
                query = query.filter(status__in=params["status"].split(","))
            if params.get("river"):
                query = query.filter(plan__river__code=params["river"])
            if params.get("department"):
                query = query.filter(departments__code=params["department"]).distinct()
            if params.get("month"):
                try:
                    year, month = (int(part) for part in params["month"].split("-"))
                except ValueError:
                    raise ValidationError({"month": ["YYYY-MM"]}) from None
                query = query.filter(scheduled_start__year=year, scheduled_start__month=month)
        return query.order_by("-scheduled_start", "-pk")

    def _drill(self, control: bool = False) -> Drill:
        drill = self.get_object()
        if control and not permissions.can_control(self.request.user, drill):
            raise PermissionDenied(_("Only the drill's trainer (controller) may do this."))
        return drill

    def _answer(self, drill: Drill, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().model.objects.get(pk=drill.pk)
        return Response(DrillSerializer(fresh, context=self.get_serializer_context()).data, status=code)

    def create(self, request, *args, **kwargs):
        if not request.user.has_perm("drills.add_drill"):
            raise PermissionDenied(_("Only trainers schedule drills."))
        data = _valid(DrillSerializer, request)
        if data.get("trainer") not in (None, request.user) and not permissions.is_admin(request.user):
            raise PermissionDenied(_("A trainer schedules drills they control themselves."))
        drill = services.schedule_drill(actor=request.user, now=timezone.now(), **data)
        return self._answer(drill, status.HTTP_201_CREATED)

    def update(self, request, *args, **kwargs):
        drill = self._drill(control=True)
        serializer = DrillSerializer(drill, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        services.update_drill(drill, actor=request.user, now=timezone.now(), **serializer.validated_data)
        return self._answer(drill)

    def destroy(self, request, *args, **kwargs):
        services.delete_drill(self._drill(control=True))
        return Response(status=status.HTTP_204_NO_CONTENT)

    # --- the controller's console ------------------------------------------------------------
    @extend_schema(request=None, responses=DrillSerializer)
    @action(detail=True, methods=["post"])
    def start(self, request, pk=None):
        return self._answer(services.start_drill(self._drill(control=True), actor=request.user, now=timezone.now()))

    @extend_schema(request=None, responses=DrillSerializer)
    @action(detail=True, methods=["post"])
    def pause(self, request, pk=None):
        return self._answer(services.pause_drill(self._drill(control=True), actor=request.user, now=timezone.now()))

    @extend_schema(request=None, responses=DrillSerializer)
    @action(detail=True, methods=["post"])
    def resume(self, request, pk=None):
        return self._answer(services.resume_drill(self._drill(control=True), actor=request.user, now=timezone.now()))

    @extend_schema(request=DrillSummarySerializer, responses=DrillSerializer)
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        drill = self._drill(control=True)
        data = _valid(DrillSummarySerializer, request)
        return self._answer(services.end_drill(drill, data["summary"], actor=request.user, now=timezone.now()))

    @extend_schema(request=DrillReasonSerializer, responses=DrillSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        drill = self._drill(control=True)
        data = _valid(DrillReasonSerializer, request)
        return self._answer(services.cancel_drill(drill, data["reason"], actor=request.user, now=timezone.now()))

    @extend_schema(request=DrillRescheduleSerializer, responses=DrillSerializer)
    @action(detail=True, methods=["post"])
    def reschedule(self, request, pk=None):
        drill = self._drill(control=True)
        data = _valid(DrillRescheduleSerializer, request)
        return self._answer(
            services.reschedule_drill(drill, data["scheduled_start"], actor=request.user, now=timezone.now())
        )

    # --- the MSEL ------------------------------------------------------------------------------
    @extend_schema(request=InjectSerializer, responses=InjectSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def injects(self, request, pk=None):
        """GET: the event list (participants see only what has been delivered). POST: a new
        inject; while the drill runs it is an ad-hoc inject, delivered at once unless it has an
        offset later on the drill clock."""
        drill = self._drill(control=request.method == "POST")
        if request.method == "GET":
            query = drill.injects.select_related("to_department", "drill__plan").order_by("offset_minutes", "number")
            if not permissions.sees_msel(request.user, drill):
                query = query.filter(delivered_at__isnull=False)
            return Response(InjectSerializer(query, many=True).data)
        fields = _inject_fields(_valid(InjectSerializer, request))
        if drill.status in (Drill.Status.RUNNING, Drill.Status.PAUSED):
            inject = services.add_adhoc_inject(drill, actor=request.user, now=timezone.now(), **fields)
        else:
            inject = services.save_inject(drill, **fields)
        inject.refresh_from_db()
        return Response(InjectSerializer(inject).data, status=status.HTTP_201_CREATED)

    def _inject(self, control: bool = True) -> Inject:
        drill = self._drill(control=control)
        return get_object_or_404(Inject.objects.select_related("drill__plan"), drill=drill, pk=self.kwargs["inject_id"])

    @extend_schema(request=InjectSerializer, responses=InjectSerializer)
    @action(detail=True, methods=["patch", "delete"], url_path=INJECT_PATH)
    def inject(self, request, pk=None, inject_id=None):
        inject = self._inject()
        if request.method == "DELETE":
            services.delete_inject(inject)
            return Response(status=status.HTTP_204_NO_CONTENT)
        fields = _inject_fields(_valid(InjectSerializer, request, partial=True))
        inject = services.save_inject(inject.drill, inject=inject, **fields)
        return Response(InjectSerializer(inject).data)

    @extend_schema(request=None, responses=InjectSerializer)
    @action(detail=True, methods=["post"], url_path=f"{INJECT_PATH}/deliver")
    def deliver(self, request, pk=None, inject_id=None):
        inject = services.deliver_inject_now(self._inject(), actor=request.user, now=timezone.now())
        return Response(InjectSerializer(inject).data)

    @extend_schema(request=DrillReasonSerializer, responses=InjectSerializer)
    @action(detail=True, methods=["post"], url_path=f"{INJECT_PATH}/skip")
    def skip(self, request, pk=None, inject_id=None):
        inject = self._inject()
        data = _valid(DrillReasonSerializer, request)
        inject = services.skip_inject(inject, data["reason"], actor=request.user, now=timezone.now())
        return Response(InjectSerializer(inject).data)

    @extend_schema(
        parameters=[OpenApiParameter("file_format", str, description="csv (default) or xlsx")],
        request={
            "multipart/form-data": {"type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}
        },
        responses={(200, "text/csv"): OpenApiTypes.BINARY},
    )
    @action(detail=True, methods=["get", "post"], url_path="msel")
    def msel(self, request, pk=None):
        """GET: the MSEL as CSV or Excel. POST (multipart `file`): import it; a bad row reports
        its row and field and nothing is written."""
        if request.method == "GET":
            drill = self._drill()
            if not permissions.sees_msel(request.user, drill):
                raise PermissionDenied(_("The event list is for the drill staff."))
            file_format = request.query_params.get("file_format", "csv")
            if file_format not in msel.FORMATS:
                raise ValidationError({"file_format": [f"One of {', '.join(msel.FORMATS)}."]})
            content, content_type = msel.export_msel(drill, file_format)
            response = HttpResponse(content, content_type=content_type)
            response["Content-Disposition"] = f'attachment; filename="drill-{drill.pk}-msel.{file_format}"'
            return response
        drill = self._drill(control=True)
        upload = request.FILES.get("file")
        if upload is None:
            raise ValidationError({"file": ["Upload the MSEL as a CSV or Excel file."]})
        try:
            uploads.validate(upload, "spreadsheet")
        except uploads.ValidationError as exc:
            raise ValidationError({"file": exc.messages}) from None
        try:
            count = msel.import_msel(drill, upload.read(), upload.name)
        except msel.MselError as exc:
            lines = [f"row {r['row']}, {r['field']}: {r['message']}" for r in exc.rows]
            return Response({"file": [exc.message, *lines] if exc.message else lines, "rows": exc.rows}, status=400)
        return Response({"imported": count}, status=status.HTTP_200_OK)

    # --- score, report, trends ------------------------------------------------------------------
    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def score(self, request, pk=None):
        return Response(drill_score(self._drill()))

    @extend_schema(
        parameters=[OpenApiParameter("department", str, description="only this department")],
        responses={200: OpenApiTypes.OBJECT},
    )
    @action(detail=False, methods=["get"])
    def trends(self, request):
        """Each department's score and times across the ended drills the user may see."""
        drills = self.get_queryset().filter(status=Drill.Status.ENDED)
        return Response(department_trends(drills, request.query_params.get("department")))


class DrillReportView(APIView):
    """GET /api/drills/{id}/report.pdf: the after-action report (routed in backend/urls.py, since
    the router would add a trailing slash to the file name)."""

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, pk: int):
        drill = get_object_or_404(permissions.visible_drills(request.user), pk=pk)
        if not permissions.sees_report(request.user, drill):
            raise PermissionDenied(_("The report is for the drill staff until the drill ends."))
        response = HttpResponse(render_report_pdf(drill, request=request), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="drill-{drill.pk}-aar.pdf"'
        return response


class ImprovementItemViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """The improvement plan across drills. Created from a drill (POST /api/drills/{id}/improvement-items/)."""

    queryset = ImprovementItem.objects.select_related("drill", "department")
    serializer_class = ImprovementItemSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("drill", int),
            OpenApiParameter("status", str, description="open, in_progress, done, or 'open' for all not done"),
            OpenApiParameter("department", str),
            OpenApiParameter("overdue", bool),
        ]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        drills = permissions.visible_drills(self.request.user)
        query = super().get_queryset().filter(drill__in=drills)
        params = self.request.query_params
        if params.get("drill"):
            query = query.filter(drill_id=params["drill"])
        if params.get("department"):
            query = query.filter(department__code=params["department"])
        if params.get("status") == "open":
            query = query.exclude(status=ImprovementItem.Status.DONE)
        elif params.get("status"):
            query = query.filter(status=params["status"])
        if params.get("overdue") in ("true", "1"):
            query = query.exclude(status=ImprovementItem.Status.DONE).filter(due_date__lt=timezone.localdate())
        return query.order_by("due_date", "pk")

    def update(self, request, *args, **kwargs):
        item = self.get_object()
        if not permissions.can_edit_improvement(request.user, item.drill):
            raise PermissionDenied(_("The drill's own trainer keeps its improvement plan."))
        serializer = ImprovementItemSerializer(item, data=request.data, partial=kwargs.get("partial", False))
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if k != "drill"}
        item = services.save_improvement_item(item=item, **fields)
        return Response(ImprovementItemSerializer(item).data)
