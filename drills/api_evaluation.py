"""The evaluation side of a drill's API: ratings, observations, improvement items.
Mixed into DrillViewSet, so the routes are /api/drills/{id}/evaluations/ and so on."""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from . import permissions, services
from .serializers import EvaluationSerializer, ImprovementItemSerializer, ObservationSerializer


class EvaluationActions:
    def _staff_drill(self):
        drill = self._drill()
        if not permissions.sees_msel(self.request.user, drill):
            raise PermissionDenied(_("Evaluations are for the drill staff."))
        return drill

    @extend_schema(request=EvaluationSerializer, responses=EvaluationSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def evaluations(self, request, pk=None):
        """GET: every rating of the drill. POST: the evaluator's rating of one task (a second
        POST for the same task replaces it)."""
        drill = self._staff_drill()
        if request.method == "GET":
            query = drill.evaluations.select_related("evaluator", "task__department").order_by("task_id", "pk")
            return Response(EvaluationSerializer(query, many=True).data)
        if not permissions.can_evaluate(request.user, drill):
            raise PermissionDenied(_("Only this drill's evaluators rate."))
        serializer = EvaluationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        evaluation = services.rate_task(drill, data.pop("task"), evaluator=request.user, **data)
        return Response(EvaluationSerializer(evaluation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ObservationSerializer, responses=ObservationSerializer(many=True))
    @action(detail=True, methods=["get", "post"])
    def observations(self, request, pk=None):
        """Strengths and areas for improvement (evaluators, observers and the controller)."""
        drill = self._staff_drill()
        if request.method == "GET":
            query = drill.observations.select_related("author", "department")
            return Response(ObservationSerializer(query, many=True).data)
        if not permissions.can_observe(request.user, drill):
            raise PermissionDenied(_("Only the drill's evaluators, observers and controller write observations."))
        serializer = ObservationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        observation = services.add_observation(drill, author=request.user, **serializer.validated_data)
        return Response(ObservationSerializer(observation).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ImprovementItemSerializer, responses=ImprovementItemSerializer(many=True))
    @action(detail=True, methods=["get", "post"], url_path="improvement-items")
    def improvement_items(self, request, pk=None):
        drill = self._drill()
        if request.method == "GET":
            query = drill.improvement_items.select_related("department", "drill")
            return Response(ImprovementItemSerializer(query, many=True).data)
        if not permissions.can_edit_improvement(request.user, drill):
            raise PermissionDenied(_("The drill's trainer writes its improvement plan."))
        data = request.data.copy()
        data["drill"] = drill.pk
        serializer = ImprovementItemSerializer(data=data)
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if k != "drill"}
        item = services.save_improvement_item(drill=drill, **fields)
        return Response(ImprovementItemSerializer(item).data, status=status.HTTP_201_CREATED)
