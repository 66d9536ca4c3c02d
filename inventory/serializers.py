"""Serializers of the inventory API. Objects are referenced by code in bodies (README.md, "API");
validation here is about shape, the rules live in services."""

from __future__ import annotations

import re
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.gis.geos import Point
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework_gis.serializers import GeoFeatureModelSerializer

from backend.directory.models import Contact, Department

from .models import QUANTITY, Depot, Dispatch, DispatchLot, Item, Lot, Movement

QUANTITY_MIN = Decimal("0.001")


def quantity_field(**kwargs):
    """A positive decimal in the item's unit (400 naming the field otherwise)."""
    kwargs.setdefault("min_value", QUANTITY_MIN)
    return serializers.DecimalField(
        max_digits=QUANTITY["max_digits"], decimal_places=QUANTITY["decimal_places"], **kwargs
    )


def normalise_choice(value: str) -> str:
    """How people write a choice, brought to the codes' shape: "Degradation / treatment",
    "source cut-off" and "communication and command" become degradation_treatment,
    source_cut_off and communication_command."""
    value = re.sub(r"[\s/\-]+", "_", value.strip().lower())
    value = re.sub(r"_+", "_", value).replace("_and_", "_")
    return re.sub(r"_+", "_", value).strip("_")


class AliasChoiceField(serializers.ChoiceField):
    """A choice field that also accepts the spellings people naturally use for the codes
    (normalised by `normalise_choice` before the alias lookup); answers carry the codes."""

    def __init__(self, *args, aliases: dict[str, str], **kwargs):
        self.aliases = {normalise_choice(alias): code for alias, code in aliases.items()}
        super().__init__(*args, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str) and data not in self.choice_strings_to_values:
            key = normalise_choice(data)
            key = self.aliases.get(key, key)
            if key in self.choice_strings_to_values:
                return self.choice_strings_to_values[key]
        return super().to_internal_value(data)


LEVEL_ALIASES = {
    "city_level": "city",
    "county_level": "county",
    "enterprise_level": "enterprise",
    "contracted": "social",
    "social/contracted": "social",
}


class DepotSerializer(GeoFeatureModelSerializer):
    level = AliasChoiceField(choices=Depot.Level.choices, aliases=LEVEL_ALIASES)
    department = serializers.SlugRelatedField(
        slug_field="code", queryset=Department.objects.all(), required=False, allow_null=True
    )
    manager = serializers.PrimaryKeyRelatedField(queryset=Contact.objects.all(), required=False, allow_null=True)
    manager_name = serializers.SerializerMethodField()
    managers = serializers.SlugRelatedField(
        slug_field="username",
        many=True,
        required=False,
        queryset=get_user_model().objects.all(),
        help_text="usernames of the depot managers bound to this depot",
    )

    class Meta:
        model = Depot
        geo_field = "location"
        # The id stays in the properties too (and is copied to the feature in to_representation):
        # drf-spectacular cannot describe a request body whose id_field is read-only.
        id_field = False
        fields = [
            "id",
            "code",
            "name",
            "level",
            "department",
            "address",
            "location",
            "manager",
            "manager_name",
            "managers",
            "opening_hours",
            "is_24h",
            "capacity_notes",
            "active",
        ]

    def get_manager_name(self, depot) -> str | None:
        return depot.manager.name if depot.manager else None

    def to_representation(self, instance):
        feature = super().to_representation(instance)
        feature["id"] = instance.pk
        return feature

    def to_internal_value(self, data):
        # Convenience for clients without GeoJSON: {"lon": .., "lat": ..} instead of "location".
        if hasattr(data, "get") and data.get("location") is None and "properties" not in data:
            lon, lat = data.get("lon"), data.get("lat")
            if lon is not None and lat is not None:
                try:
                    data = {**data, "location": Point(float(lon), float(lat), srid=4326).geojson}
                except (TypeError, ValueError):
                    raise serializers.ValidationError({"location": [_("lon and lat must be numbers.")]})
        return super().to_internal_value(data)

    def validate_location(self, value):
        if value is not None and not (-180 <= value.x <= 180 and -90 <= value.y <= 90):
            raise serializers.ValidationError(_("Give lon/lat in WGS84 (EPSG:4326)."))
        if value is not None and value.srid is None:
            value.srid = 4326
        return value


# Keys are normalised (normalise_choice), so "source cut-off", "Source-Cut-Off" and
# "source_cut_off" are one alias; the issue's own words for each category are all here.
CATEGORY_ALIASES = {
    "cutoff": "source_cutoff",
    "source_cut_off": "source_cutoff",
    "source": "source_cutoff",
    "degradation": "treatment",
    "degradation_treatment": "treatment",
    "personal_protection": "protection",
    "ppe": "protection",
    "communication_command": "communication",
    "command": "communication",
}


class ItemSerializer(serializers.ModelSerializer):
    category = AliasChoiceField(choices=Item.Category.choices, aliases=CATEGORY_ALIASES)

    class Meta:
        model = Item
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "category",
            "unit",
            "unit_en",
            "shelf_life_days",
            "consumable",
            "active",
        ]


class LotSerializer(serializers.ModelSerializer):
    depot = serializers.SlugRelatedField(slug_field="code", read_only=True)
    item = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lot = serializers.CharField(source="code", read_only=True)
    available = serializers.SerializerMethodField()
    expired = serializers.SerializerMethodField()

    class Meta:
        model = Lot
        fields = [
            "id",
            "depot",
            "item",
            "lot",
            "quantity",
            "reserved",
            "available",
            "received_on",
            "expires_on",
            "expired",
        ]

    def get_available(self, lot) -> float:
        return float(lot.quantity - lot.reserved)

    def get_expired(self, lot) -> bool:
        return lot.expires_on is not None and lot.expires_on < timezone.localdate()


class MovementSerializer(serializers.ModelSerializer):
    depot = serializers.SlugRelatedField(slug_field="code", read_only=True)
    item = serializers.SlugRelatedField(slug_field="code", read_only=True)
    lot = serializers.CharField(source="lot.code", read_only=True)
    lot_id = serializers.IntegerField(read_only=True)
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)
    incident = serializers.IntegerField(source="incident_id", read_only=True, allow_null=True)
    dispatch = serializers.PrimaryKeyRelatedField(read_only=True)
    counterpart_depot = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Movement
        fields = [
            "id",
            "kind",
            "depot",
            "item",
            "lot",
            "lot_id",
            "quantity",
            "amount",
            "at",
            "actor",
            "incident",
            "dispatch",
            "counterpart_depot",
            "reason",
        ]
        extra_kwargs = {
            "quantity": {
                "help_text": "Signed change of the lot's quantity on hand: the stock is the sum of the ledger."
            },
            "amount": {"help_text": "Units concerned (positive); a consume line closing a dispatch has quantity 0."},
        }


class ReceiptSerializer(serializers.Serializer):
    """POST /api/receipts/: a receive movement into a (new or existing) lot."""

    depot = serializers.SlugRelatedField(slug_field="code", queryset=Depot.objects.all())
    item = serializers.SlugRelatedField(slug_field="code", queryset=Item.objects.all())
    quantity = quantity_field()
    lot = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    expires_on = serializers.DateField(required=False, allow_null=True, default=None)
    received_on = serializers.DateField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class ReceiptResultSerializer(MovementSerializer):
    expires_on = serializers.DateField(source="lot.expires_on", read_only=True)
    on_hand = serializers.DecimalField(source="lot.quantity", read_only=True, **QUANTITY)

    class Meta(MovementSerializer.Meta):
        fields = [*MovementSerializer.Meta.fields, "expires_on", "on_hand"]


class LotMovementResultSerializer(ReceiptResultSerializer):
    """A movement out of (or into) a lot, with what the lot holds afterwards."""

    available = serializers.SerializerMethodField()

    class Meta(ReceiptResultSerializer.Meta):
        fields = [*ReceiptResultSerializer.Meta.fields, "available"]

    def get_available(self, movement) -> float:
        return float(movement.lot.quantity - movement.lot.reserved)


class WriteOffSerializer(serializers.Serializer):
    """POST /api/lots/{id}/write-off/: expired or damaged units leave the books."""

    quantity = quantity_field()
    reason = serializers.CharField(max_length=200)


class ConsumeSerializer(serializers.Serializer):
    """POST /api/lots/{id}/consume/: units used at the depot without a dispatch."""

    quantity = quantity_field()
    reason = serializers.CharField(max_length=200)
    incident = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1, help_text="id of the incident, if any"
    )


class TransferSerializer(serializers.Serializer):
    """POST /api/lots/{id}/transfer/: unreserved units move to another depot (same lot code and expiry)."""

    to_depot = serializers.SlugRelatedField(slug_field="code", queryset=Depot.objects.all(), help_text="depot code")
    quantity = quantity_field()
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class TransferResultSerializer(serializers.Serializer):
    out = LotMovementResultSerializer(help_text="the movement out of this depot's lot")
    into = LotMovementResultSerializer(help_text="the movement into the lot at the other depot")


class DispatchLotSerializer(serializers.ModelSerializer):
    lot = serializers.CharField(source="lot.code", read_only=True)
    lot_id = serializers.IntegerField(read_only=True)
    expires_on = serializers.DateField(source="lot.expires_on", read_only=True)

    class Meta:
        model = DispatchLot
        fields = ["lot_id", "lot", "expires_on", "quantity", "returned"]


class DispatchSerializer(serializers.ModelSerializer):
    incident = serializers.IntegerField(source="incident_id", required=False, allow_null=True, min_value=1)
    depot = serializers.SlugRelatedField(slug_field="code", queryset=Depot.objects.all())
    item = serializers.SlugRelatedField(slug_field="code", queryset=Item.objects.all())
    quantity = quantity_field()
    unit = serializers.CharField(source="item.unit", read_only=True)
    unit_en = serializers.CharField(source="item.unit_en", read_only=True)
    lots = DispatchLotSerializer(many=True, read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    approved_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    dispatched_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    delivered_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    closed_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    cancelled_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Dispatch
        fields = [
            "id",
            "incident",
            "depot",
            "item",
            "quantity",
            "unit",
            "unit_en",
            "status",
            "simulated",
            "destination",
            "note",
            "lots",
            "returned_quantity",
            "consumed_quantity",
            "requested_by",
            "requested_at",
            "approved_by",
            "approved_at",
            "dispatched_by",
            "dispatched_at",
            "delivered_by",
            "delivered_at",
            "closed_by",
            "closed_at",
            "cancelled_by",
            "cancelled_at",
        ]
        read_only_fields = [
            "status",
            "simulated",
            "returned_quantity",
            "consumed_quantity",
            "requested_at",
            "approved_at",
            "dispatched_at",
            "delivered_at",
            "closed_at",
            "cancelled_at",
        ]


class CloseDispatchSerializer(serializers.Serializer):
    """The quantity returned, under any one of RETURNED_KEYS (the issue does not name the
    field); an empty body means nothing came back. A body none of whose keys is one of them is
    refused rather than read as "all consumed", and two keys with different values conflict."""

    RETURNED_KEYS = ("returned_quantity", "returned", "quantity_returned")

    returned_quantity = quantity_field(
        min_value=0,
        required=False,
        default=0,
        help_text="units that came back (also accepted as `returned` or `quantity_returned`); the rest is consumed",
    )

    def to_internal_value(self, data):
        if not hasattr(data, "keys"):
            return super().to_internal_value(data)
        given = [key for key in self.RETURNED_KEYS if key in data]
        if not given:
            unknown = sorted(str(key) for key in data.keys())
            if unknown:
                message = _("Give the quantity returned as returned_quantity; not understood: %(keys)s.")
                raise serializers.ValidationError({"returned_quantity": [message % {"keys": ", ".join(unknown)}]})
            return {"returned_quantity": Decimal(0), "returned_key": "returned_quantity"}
        field = self.fields["returned_quantity"]
        values, errors = {}, {}
        for key in given:
            try:
                values[key] = field.run_validation(data[key])
            except serializers.ValidationError as exc:
                errors[key] = exc.detail
        if errors:
            # Named as sent, and under the canonical field name too when an alias was used.
            errors.setdefault("returned_quantity", next(iter(errors.values())))
            raise serializers.ValidationError(errors)
        if len(set(values.values())) > 1:
            message = _("Conflicting quantities returned: %(values)s.")
            shown = ", ".join(f"{key}={value}" for key, value in values.items())
            raise serializers.ValidationError(
                {key: [message % {"values": shown}] for key in ("returned_quantity", *given)}
            )
        return {"returned_quantity": values[given[0]], "returned_key": given[0]}


class NearestQuerySerializer(serializers.Serializer):
    lon = serializers.FloatField(min_value=-180, max_value=180)
    lat = serializers.FloatField(min_value=-90, max_value=90)
    item = serializers.SlugRelatedField(slug_field="code", queryset=Item.objects.all())
    quantity = quantity_field(required=False, allow_null=True, default=None)


class DutyContactSerializer(serializers.Serializer):
    name = serializers.CharField()
    phone = serializers.CharField()


class NearestDepotSerializer(serializers.Serializer):
    """One answer of /api/depots/nearest/ (documentation only: the service builds the dicts)."""

    id = serializers.IntegerField()
    depot = serializers.CharField(help_text="depot code")
    name = serializers.CharField()
    location = serializers.JSONField(help_text='GeoJSON Point {"type": "Point", "coordinates": [lon, lat]}')
    available = serializers.FloatField(help_text="usable (unexpired, unreserved) units of the item")
    distance_m = serializers.FloatField(help_text="geodesic distance in metres")
    road_minutes = serializers.FloatField(help_text="distance at INVENTORY_ROAD_SPEED_KMH")
    partial = serializers.BooleanField(help_text="holds fewer units than asked for")
    opening_hours = serializers.CharField(help_text="as written on the depot, e.g. 08:00–18:00")
    is_24h = serializers.BooleanField()
    open_now = serializers.BooleanField(allow_null=True, help_text="null when the hours name no time range")
    opens_at = serializers.CharField(allow_null=True, help_text='"HH:MM" local time when closed now, else null')
    contact = DutyContactSerializer(allow_null=True, help_text="the depot's manager, else its owner's duty contact")
