"""GET /api/event-types/: the event contract for outside clients (docs/events.md)."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from backend import eventtypes


class EventTypesView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        summary="The incident event types: schema of `data`, labels, owning app",
        responses={
            200: OpenApiResponse(
                response={"type": "array", "items": {"$ref": "#/components/schemas/EventTypeDescription"}},
                description="Every registered type, sorted by owner and name. An event's `data` "
                "matches `schema`; `labels` are in zh-hans and en.",
            )
        },
    )
    def get(self, request):
        return Response(eventtypes.describe_all())
