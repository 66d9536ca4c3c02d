"""REST API of plans (DRF). Views are thin: serializers check input, services write."""

from __future__ import annotations

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_gis.pagination import GeoJsonPagination

from backend.directory.permissions import ModelPermissions

from . import services
from .models import (
    EnterprisePlanFiling,
    Measure,
    Pollutant,
    ResponsePlan,
    River,
    RiverFeature,
    RiverReach,
    TaskTemplate,
)
from .serializers import (
    EnterprisePlanFilingSerializer,
    MeasureSerializer,
    MissingFilingSerializer,
    PollutantSerializer,
    ResponsePlanSerializer,
    RiverFeatureSerializer,
    RiverReachSerializer,
    RiverSerializer,
    TaskTemplateSerializer,
)
from .trace_serializers import TraceRequestSerializer, TraceResultSerializer
from .tracing import trace


class PlanPermissions(ModelPermissions):
    """Approving a plan or starting a new version is a change to plans (change_responseplan)."""

    def has_permission(self, request, view):
        if getattr(view, "action", None) in ("approve", "new_version"):
            return request.user.is_authenticated and request.user.has_perm("plans.change_responseplan")
        return super().has_permission(request, view)


class FeatureCollectionPagination(GeoJsonPagination):
    """GeoJSON lists: a FeatureCollection with count/next/previous; ?page_size= up to 1000."""

    page_size = 100
    max_page_size = 1000


class _ServiceWrites:
    """create/update/destroy through `service_save(instance_or_None, fields)` and `service_delete`."""

    def perform_create(self, serializer):
        serializer.instance = self.service_save(None, dict(serializer.validated_data))

    def perform_update(self, serializer):
        serializer.instance = self.service_save(serializer.instance, dict(serializer.validated_data))

    def perform_destroy(self, instance):
        self.service_delete(instance)


class RiverViewSet(_ServiceWrites, viewsets.ModelViewSet):
    """Rivers as GeoJSON Features (LineString, source → mouth). Deleting a river deletes its features."""

    queryset = River.objects.select_related("outlet")
    serializer_class = RiverSerializer
    permission_classes = [IsAuthenticated, ModelPermissions]
    pagination_class = FeatureCollectionPagination
    # id__in: the rivers an incident's trace names (the room's map), not a whole network's page.
    filterset_fields = {"id": ["in"], "code": ["exact"], "outlet__code": ["exact", "isnull"]}

    def get_queryset(self):
        query = super().get_queryset()
        # ?outlet=<code>: the tributaries of a river (codes everywhere in this API).
        if self.request.query_params.get("outlet"):
            query = query.filter(outlet__code=self.request.query_params["outlet"])
        return query

    def service_save(self, river, fields):
        return services.save_river(river=river, **fields)

    def service_delete(self, river):
        services.delete_river(river)


class RiverFeatureViewSet(_ServiceWrites, viewsets.ModelViewSet):
    """Sections, receptors, emergency spaces and risk sources (one endpoint, `kind` tells them apart);
    `chainage_m` is computed on save."""

    queryset = RiverFeature.objects.select_related("river", "downstream_jurisdiction")
    serializer_class = RiverFeatureSerializer
    permission_classes = [IsAuthenticated, ModelPermissions]
    pagination_class = FeatureCollectionPagination
    filterset_fields = {"id": ["in"], "kind": ["exact"], "river__code": ["exact"]}

    def get_queryset(self):
        query = super().get_queryset()
        # ?river=<code> as well as ?river__code=<code>: the river is a code everywhere else.
        if self.request.query_params.get("river"):
            query = query.filter(river__code=self.request.query_params["river"])
        return query

    def service_save(self, feature, fields):
        return services.save_feature(feature=feature, **fields)

    def service_delete(self, feature):
        services.delete_feature(feature)


class RiverReachViewSet(_ServiceWrites, viewsets.ModelViewSet):
    """Reaches: stretches of a river with their own flow, velocity and dispersion (normal season,
    with optional `dry` and `wet` values) and the width, depth and slope of the mixing length.
    Reaches of one river may not overlap (400 naming from/to_chainage_m)."""

    queryset = RiverReach.objects.select_related("river")
    serializer_class = RiverReachSerializer
    permission_classes = [IsAuthenticated, ModelPermissions]
    filterset_fields = {"river__code": ["exact"]}

    def get_queryset(self):
        query = super().get_queryset()
        if self.request.query_params.get("river"):
            query = query.filter(river__code=self.request.query_params["river"])
        return query

    def service_save(self, reach, fields):
        return services.save_reach(reach=reach, **fields)

    def service_delete(self, reach):
        services.delete_reach(reach)


class PollutantViewSet(_ServiceWrites, viewsets.ModelViewSet):
    """The pollutant catalogue with GB 3838-2002 limits (mg/L, null where the standard sets none)."""

    queryset = Pollutant.objects.all()
    serializer_class = PollutantSerializer
    permission_classes = [IsAuthenticated, ModelPermissions]
    filterset_fields = ["code", "category"]

    def service_save(self, pollutant, fields):
        return services.save_pollutant(pollutant=pollutant, **fields)

    def service_delete(self, pollutant):
        services.delete_pollutant(pollutant)


@extend_schema_view(
    create=extend_schema(description="Create a draft (next version of the river's plan); nested lists optional."),
    update=extend_schema(description="Drafts only (409 otherwise). Nested lists, when given, replace the old."),
    partial_update=extend_schema(description="Drafts only (409 otherwise)."),
    destroy=extend_schema(description="Drafts only (409 otherwise): approved and superseded versions are kept."),
)
class ResponsePlanViewSet(viewsets.ModelViewSet):
    """一策: versioned response plans (draft → approved → superseded), with their department task
    templates and measures nested (also editable at /api/task-templates/ and /api/measures/)."""

    queryset = ResponsePlan.objects.select_related("river", "created_by", "approved_by").prefetch_related(
        Prefetch("task_templates", queryset=TaskTemplate.objects.select_related("department")),
        Prefetch("measures", queryset=Measure.objects.select_related("space")),
    )
    serializer_class = ResponsePlanSerializer
    permission_classes = [IsAuthenticated, PlanPermissions]
    filterset_fields = {"river__code": ["exact"], "status": ["exact"]}

    def get_queryset(self):
        query = super().get_queryset()
        if self.request.query_params.get("river"):
            query = query.filter(river__code=self.request.query_params["river"])
        return query

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        contents = {"task_templates": data.pop("task_templates", None), "measures": data.pop("measures", None)}
        plan = services.create_plan(
            river=data["river"], title=data.get("title", ""), summary=data.get("summary", ""), user=self.request.user
        )
        serializer.instance = services.set_plan_contents(plan, **contents)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        contents = {"task_templates": data.pop("task_templates", None), "measures": data.pop("measures", None)}
        if "river" in data and data.pop("river") != serializer.instance.river:
            raise ValidationError({"river": [_("A plan cannot move to another river; create a plan there.")]})
        plan = services.update_plan(serializer.instance, **data)
        serializer.instance = services.set_plan_contents(plan, **contents)

    def perform_destroy(self, instance):
        services.delete_plan(instance)

    def _fresh(self, plan):
        return self.get_queryset().get(pk=plan.pk)

    @extend_schema(request=None, responses={200: ResponsePlanSerializer, 409: OpenApiResponse(OpenApiTypes.OBJECT)})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve a draft; the river's previously approved plan becomes superseded."""
        plan = services.approve_plan(self.get_object(), user=request.user)
        return Response(self.get_serializer(self._fresh(plan)).data)

    @extend_schema(request=None, responses={201: ResponsePlanSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        """A new draft copied from this version (task templates and measures included)."""
        draft = services.new_plan_version(self.get_object(), user=request.user)
        return Response(self.get_serializer(self._fresh(draft)).data, status=status.HTTP_201_CREATED)


class TaskTemplateViewSet(_ServiceWrites, viewsets.ModelViewSet):
    """Department task templates of a plan (drafts only change): ack/complete targets in minutes."""

    queryset = TaskTemplate.objects.select_related("plan", "department")
    serializer_class = TaskTemplateSerializer
    permission_classes = [IsAuthenticated, ModelPermissions]
    filterset_fields = {"plan": ["exact"], "department__code": ["exact"]}

    def service_save(self, template, fields):
        return services.save_task_template(template=template, **fields)

    def service_delete(self, template):
        services.delete_task_template(template)


class MeasureViewSet(_ServiceWrites, viewsets.ModelViewSet):
    """Measures per pollutant category at an emergency space, per plan (drafts only change)."""

    queryset = Measure.objects.select_related("plan", "space")
    serializer_class = MeasureSerializer
    permission_classes = [IsAuthenticated, ModelPermissions]
    filterset_fields = {"plan": ["exact"], "category": ["exact"]}

    def service_save(self, measure, fields):
        return services.save_measure(measure=measure, **fields)

    def service_delete(self, measure):
        services.delete_measure(measure)


class EnterprisePlanFilingViewSet(_ServiceWrites, viewsets.ModelViewSet):
    """电子化备案: enterprise emergency plans filed against risk sources (multipart for the document)."""

    queryset = EnterprisePlanFiling.objects.select_related("risk_source")
    serializer_class = EnterprisePlanFilingSerializer
    permission_classes = [IsAuthenticated, ModelPermissions]
    filterset_fields = {"risk_source": ["exact"], "status": ["exact"]}

    def service_save(self, filing, fields):
        return services.save_filing(filing=filing, **fields)

    def service_delete(self, filing):
        services.delete_filing(filing)

    @extend_schema(responses=MissingFilingSerializer(many=True))
    @action(detail=False, url_path="missing-or-expired", pagination_class=None)
    def missing_or_expired(self, request):
        """Risk sources without an enterprise plan in force today (never filed, or expired)."""
        return Response(MissingFilingSerializer(services.missing_or_expired_filings(), many=True).data)


class TraceView(APIView):
    """Trace a spill downstream: every feature below it with distance, arrival, front and peak.
    Reads only. 400 names the bad field; 422 when no river lies within TRACE_MAX_SNAP_M."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=TraceRequestSerializer,
        responses={
            200: TraceResultSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT),
            422: OpenApiResponse(OpenApiTypes.OBJECT, description="no river near the point"),
        },
    )
    def post(self, request):
        if not request.user.has_perm("plans.view_river"):
            raise PermissionDenied()
        body = TraceRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        lon, lat = data["location"]
        result = trace(
            lon,
            lat,
            pollutant=data.get("pollutant"),
            mass_kg=data.get("mass_kg"),
            overrides=data.get("overrides") or {},
            season=data.get("season"),
            elapsed_minutes=data.get("elapsed_minutes") or 0.0,
            bank_distance_m=data.get("bank_distance_m") or 0.0,
        )
        return Response(result)
