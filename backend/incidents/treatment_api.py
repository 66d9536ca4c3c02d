"""POST /api/incidents/{id}/treatment/dispatch/: the duty officer confirms the treatment proposal
of the incident room, and its dispatch requests are created (backend/incidents/treatment.py)."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from inventory import permissions as inventory_permissions
from inventory.serializers import DispatchSerializer

from . import permissions, treatment
from .models import Incident


class TreatmentDispatchView(APIView):
    """One confirmed action: a dispatch request per depot and item of the treatment (stock
    reserved as for any request). 403 for anyone but the duty officer or without the right to
    request from one of the depots; 409 when already requested, nothing to request, or short."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={
            201: DispatchSerializer(many=True),
            403: OpenApiResponse(OpenApiTypes.OBJECT),
            404: OpenApiResponse(OpenApiTypes.OBJECT),
            409: OpenApiResponse(OpenApiTypes.OBJECT),
        },
    )
    def post(self, request, pk: int):
        visible = permissions.visible_incidents(request.user, Incident.objects.all())
        incident = get_object_or_404(visible.select_related("pollutant"), pk=pk)
        if not permissions.can_command(request.user, incident):
            raise PermissionDenied("Only the duty officer may do this.")
        proposal = treatment.treatment_for(
            (incident.trace or {}).get("recommended_space"), pollutant=incident.pollutant, mass_kg=incident.mass_kg
        )
        from inventory.models import Depot

        codes = {d["depot"] for line in (proposal or {}).get("items", []) for d in line["depots"] if d["take"] > 0}
        for depot in Depot.objects.filter(code__in=codes):
            if not inventory_permissions.can_request_dispatch(request.user, depot):
                raise PermissionDenied("You may not request dispatches from this depot.")
        dispatches = treatment.dispatch_treatment(incident, actor=request.user)
        return Response(DispatchSerializer(dispatches, many=True).data, status=status.HTTP_201_CREATED)
