"""REST API of inventory (DRF). Views validate shape, check who may act where
(permissions.py) and call the services; every write is a service call."""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_gis.pagination import GeoJsonPagination

from backend.directory.permissions import ModelPermissions

from . import permissions, queries, services
from .models import Depot, Dispatch, Item, Lot, Movement
from .serializers import (
    CloseDispatchSerializer,
    ConsumeSerializer,
    DepotSerializer,
    DispatchSerializer,
    ItemSerializer,
    LotMovementResultSerializer,
    LotSerializer,
    MovementSerializer,
    NearestDepotSerializer,
    NearestQuerySerializer,
    ReceiptResultSerializer,
    ReceiptSerializer,
    TransferResultSerializer,
    TransferSerializer,
    WriteOffSerializer,
)


class DepotPagination(GeoJsonPagination):
    page_size = 50
    max_page_size = 1000


class DepotFilter(django_filters.FilterSet):
    department = django_filters.CharFilter(field_name="department__code")

    class Meta:
        model = Depot
        fields = ["level", "active", "department"]


class DepotViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Depots as GeoJSON. POST needs only code, name, level and location."""

    queryset = Depot.objects.select_related("department", "manager").prefetch_related("managers")
    serializer_class = DepotSerializer
    permission_classes = [IsAuthenticated, ModelPermissions]
    pagination_class = DepotPagination
    filterset_class = DepotFilter

    def _check_managers(self, serializer):
        # Binding people to depots is the duty office's decision, not the depot's own.
        if "managers" in serializer.validated_data and not permissions.coordinates_all_depots(self.request.user):
            raise PermissionDenied(_("Only the duty office binds depot managers."))

    def perform_create(self, serializer):
        self._check_managers(serializer)
        serializer.instance = services.save_depot(**serializer.validated_data)

    def perform_update(self, serializer):
        if not permissions.can_edit_depot(self.request.user, serializer.instance):
            raise PermissionDenied(_("You may only edit the depots you manage."))
        self._check_managers(serializer)
        serializer.instance = services.save_depot(depot=serializer.instance, **serializer.validated_data)

    @extend_schema(
        parameters=[
            OpenApiParameter("lon", float, required=True, description="longitude (WGS84)"),
            OpenApiParameter("lat", float, required=True, description="latitude (WGS84)"),
            OpenApiParameter("item", str, required=True, description="item code"),
            OpenApiParameter("quantity", float, description="units needed; depots with fewer are `partial`"),
        ],
        responses=NearestDepotSerializer(many=True),
        filters=False,
    )
    @action(detail=False, url_path="nearest", pagination_class=None, filterset_class=None)
    def nearest(self, request):
        """Depots holding usable units of an item: those with enough first, then partial ones,
        each nearest first (geodesic metres; road time at the configured average speed)."""
        query = NearestQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        return Response(
            queries.nearest_depots(lon=data["lon"], lat=data["lat"], item=data["item"], quantity=data["quantity"])
        )


class ItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    queryset = Item.objects.all()
    serializer_class = ItemSerializer
    permission_classes = [IsAuthenticated, ModelPermissions]
    filterset_fields = ["category", "consumable", "active"]

    def perform_create(self, serializer):
        serializer.instance = services.save_item(**serializer.validated_data)

    def perform_update(self, serializer):
        serializer.instance = services.save_item(item=serializer.instance, **serializer.validated_data)


class LotFilter(django_filters.FilterSet):
    depot = django_filters.CharFilter(field_name="depot__code", help_text="depot code")
    item = django_filters.CharFilter(field_name="item__code", help_text="item code")
    expires_before = django_filters.DateFilter(field_name="expires_on", lookup_expr="lte")
    in_stock = django_filters.BooleanFilter(method="filter_in_stock", help_text="only lots with stock on hand")

    class Meta:
        model = Lot
        fields = ["depot", "item", "expires_before", "in_stock"]

    def filter_in_stock(self, queryset, name, value):
        return queryset.filter(quantity__gt=0) if value else queryset.filter(quantity=0)


LOT_ACTION_ERRORS = {
    400: OpenApiResponse(description='invalid input, per field (e.g. {"quantity": [...]})'),
    403: OpenApiResponse(description="not allowed to handle the stock of this lot's depot"),
    409: OpenApiResponse(description='more than the lot\'s unreserved quantity: {"error", "available"}'),
}


class LotViewSet(viewsets.ReadOnlyModelViewSet):
    """Lots; a depot's stock handlers write off, consume or transfer units of a lot with the
    POST actions (each writes ledger movements, never the lot directly)."""

    queryset = Lot.objects.select_related("depot", "item")
    serializer_class = LotSerializer
    permission_classes = [IsAuthenticated, ModelPermissions]
    filterset_class = LotFilter

    def _handled_lot(self, body_class, doing: str):
        """The lot, if this user may handle its depot's stock, and the validated body."""
        lot = self.get_object()
        if not permissions.can_handle_stock(self.request.user, lot.depot):
            if not self.request.user.has_perm("inventory.add_movement"):
                raise PermissionDenied(_("Your role may not %(doing)s stock.") % {"doing": doing})
            raise PermissionDenied(_("You may only %(doing)s stock of the depots you manage.") % {"doing": doing})
        body = body_class(data=self.request.data)
        body.is_valid(raise_exception=True)
        return lot, body.validated_data

    @staticmethod
    def _created(data):
        return Response(data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=WriteOffSerializer, responses={201: LotMovementResultSerializer, **LOT_ACTION_ERRORS}, filters=False
    )
    @action(
        detail=True, methods=["post"], url_path="write-off", url_name="write-off", permission_classes=[IsAuthenticated]
    )
    def write_off(self, request, pk=None):
        """Write off expired or damaged units (reserved units cannot be written off)."""
        lot, data = self._handled_lot(WriteOffSerializer, _("write off"))
        movement = services.write_off(lot=lot, quantity=data["quantity"], reason=data["reason"], actor=request.user)
        return self._created(LotMovementResultSerializer(movement).data)

    @extend_schema(
        request=ConsumeSerializer, responses={201: LotMovementResultSerializer, **LOT_ACTION_ERRORS}, filters=False
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def consume(self, request, pk=None):
        """Record units used at the depot without a dispatch (training, a small spill)."""
        lot, data = self._handled_lot(ConsumeSerializer, _("consume"))
        movement = services.consume(
            lot=lot,
            quantity=data["quantity"],
            reason=data["reason"],
            incident_id=data["incident"],
            actor=request.user,
        )
        return self._created(LotMovementResultSerializer(movement).data)

    @extend_schema(
        request=TransferSerializer, responses={201: TransferResultSerializer, **LOT_ACTION_ERRORS}, filters=False
    )
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def transfer(self, request, pk=None):
        """Move unreserved units to another depot: one movement out of this lot, one into the lot
        of the same code and expiry there (created if new)."""
        lot, data = self._handled_lot(TransferSerializer, _("transfer"))
        out, into = services.transfer(
            lot=lot, to_depot=data["to_depot"], quantity=data["quantity"], reason=data["reason"], actor=request.user
        )
        return self._created(TransferResultSerializer({"out": out, "into": into}).data)


class MovementFilter(django_filters.FilterSet):
    depot = django_filters.CharFilter(field_name="depot__code", help_text="depot code")
    item = django_filters.CharFilter(field_name="item__code", help_text="item code")
    incident = django_filters.NumberFilter(field_name="incident_id")
    since = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="gte")
    until = django_filters.IsoDateTimeFilter(field_name="at", lookup_expr="lt")

    class Meta:
        model = Movement
        fields = ["depot", "item", "kind", "incident", "dispatch", "lot", "since", "until"]


class MovementViewSet(viewsets.ReadOnlyModelViewSet):
    """The ledger (append-only, read-only here)."""

    queryset = Movement.objects.select_related("depot", "item", "lot", "actor", "counterpart_depot")
    serializer_class = MovementSerializer
    permission_classes = [IsAuthenticated, ModelPermissions]
    filterset_class = MovementFilter


class ReceiptView(APIView):
    """Stock arrives at a depot (a receive movement). `expires_on` is required for items with
    a shelf life; an existing lot code adds to that lot."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=ReceiptSerializer, responses={201: ReceiptResultSerializer})
    def post(self, request):
        if not request.user.has_perm("inventory.add_movement"):
            raise PermissionDenied(_("You may not receive stock."))
        body = ReceiptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if not permissions.can_handle_stock(request.user, data["depot"]):
            raise PermissionDenied(_("You may only receive stock into the depots you manage."))
        movement = services.receive(
            depot=data["depot"],
            item=data["item"],
            quantity=data["quantity"],
            lot=data["lot"],
            expires_on=data["expires_on"],
            received_on=data["received_on"],
            reason=data["reason"],
            actor=request.user,
        )
        return Response(ReceiptResultSerializer(movement).data, status=status.HTTP_201_CREATED)


class DispatchFilter(django_filters.FilterSet):
    depot = django_filters.CharFilter(field_name="depot__code", help_text="depot code")
    item = django_filters.CharFilter(field_name="item__code", help_text="item code")
    incident = django_filters.NumberFilter(field_name="incident_id")

    class Meta:
        model = Dispatch
        fields = ["status", "depot", "item", "incident"]


STEP_SCHEMA = {"request": None, "responses": {200: DispatchSerializer}}


class DispatchViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """Dispatches: requested (lots reserved, FEFO) → approved → dispatched → delivered → closed,
    or cancelled before dispatch. A shortage answers 409 {"error", "available"}."""

    queryset = Dispatch.objects.select_related(
        "depot", "item", "requested_by", "approved_by", "dispatched_by", "delivered_by", "closed_by", "cancelled_by"
    ).prefetch_related("lots__lot")
    serializer_class = DispatchSerializer
    permission_classes = [IsAuthenticated, ModelPermissions]
    filterset_class = DispatchFilter

    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        if not permissions.can_request_dispatch(request.user, data["depot"]):
            raise PermissionDenied(_("You may not request dispatches from this depot."))
        dispatch = services.request_dispatch(
            depot=data["depot"],
            item=data["item"],
            quantity=data["quantity"],
            incident_id=data.get("incident_id"),
            destination=data.get("destination", ""),
            note=data.get("note", ""),
            actor=request.user,
        )
        return Response(self._out(dispatch), status=status.HTTP_201_CREATED)

    def _out(self, dispatch):
        return self.get_serializer(self.get_queryset().get(pk=dispatch.pk)).data

    def _step(self, check, verb, message, **kwargs):
        dispatch = self.get_object()
        if not check(self.request.user, dispatch):
            raise PermissionDenied(message)
        return Response(self._out(verb(dispatch, actor=self.request.user, **kwargs)))

    @extend_schema(**STEP_SCHEMA)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def approve(self, request, pk=None):
        return self._step(permissions.can_approve, services.approve_dispatch, _("You may not approve this dispatch."))

    @extend_schema(**STEP_SCHEMA)
    @action(
        detail=True, methods=["post"], url_path="dispatch", url_name="dispatch", permission_classes=[IsAuthenticated]
    )
    def ship(self, request, pk=None):
        """The depot sends the supplies out (the ledger movement). Depot managers of this depot only."""
        message = _("Only a manager of this depot may send its stock out.")
        return self._step(permissions.can_ship, services.dispatch_stock, message)

    @extend_schema(**STEP_SCHEMA)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def deliver(self, request, pk=None):
        return self._step(permissions.can_follow_up, services.deliver_dispatch, _("You may not update this dispatch."))

    @extend_schema(request=CloseDispatchSerializer, responses={200: DispatchSerializer})
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def close(self, request, pk=None):
        """Close with the quantity returned (`returned_quantity`, or `returned` / `quantity_returned`;
        default 0); the rest is recorded as consumed."""
        body = CloseDispatchSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        returned, key = body.validated_data["returned_quantity"], body.validated_data["returned_key"]
        message = _("You may not update this dispatch.")
        try:
            return self._step(permissions.can_follow_up, services.close_dispatch, message, returned_quantity=returned)
        except DjangoValidationError as exc:
            # The service names returned_quantity; a client that sent an alias sees its own key too.
            errors = getattr(exc, "error_dict", None)
            if errors and key != "returned_quantity" and "returned_quantity" in errors:
                raise DjangoValidationError({**errors, key: errors["returned_quantity"]}) from exc
            raise

    @extend_schema(**STEP_SCHEMA)
    @action(detail=True, methods=["post"], permission_classes=[IsAuthenticated])
    def cancel(self, request, pk=None):
        """Cancel before dispatch: the reservation is released."""
        return self._step(permissions.can_follow_up, services.cancel_dispatch, _("You may not cancel this dispatch."))
