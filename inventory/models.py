"""Emergency supplies: depots, the item catalogue, stock by lot, the movement ledger, dispatches.

Only `inventory.services` writes these tables. The database itself guards what must never
happen (negative stock, more reserved than on hand, a ledger row changed after the fact), so
a bug or a race in Python cannot break the rules: it can only be refused.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from backend.directory.models import Contact, Department

QUANTITY = {"max_digits": 14, "decimal_places": 3}


class Depot(models.Model):
    """A store of environmental emergency supplies (环境应急物资储备库)."""

    class Level(models.TextChoices):
        CITY = "city", _("City level")
        COUNTY = "county", _("County level")
        ENTERPRISE = "enterprise", _("Enterprise")
        SOCIAL = "social", _("Social / contracted")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=128)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.PROTECT, related_name="depots", verbose_name=_("owner")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    location = models.PointField(_("location"), srid=4326)
    manager = models.ForeignKey(
        Contact, null=True, blank=True, on_delete=models.SET_NULL, related_name="depots", verbose_name=_("manager")
    )
    # The role binding: a user with the depot_manager role acts only on the depots listed here.
    managers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="managed_depots", verbose_name=_("managing users")
    )
    opening_hours = models.CharField(_("opening hours"), max_length=100, blank=True)
    is_24h = models.BooleanField(_("open 24 hours"), default=False)
    capacity_notes = models.TextField(_("capacity notes"), blank=True)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("depot")
        verbose_name_plural = _("depots")

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("inventory:depot", kwargs={"code": self.code})


class Item(models.Model):
    """A kind of supply, by function (环境应急资源调查指南, 2019)."""

    class Category(models.TextChoices):
        SOURCE_CUTOFF = "source_cutoff", _("Source cut-off")
        CONTAINMENT = "containment", _("Containment")
        COLLECTION = "collection", _("Collection")
        TREATMENT = "treatment", _("Degradation / treatment")
        PROTECTION = "protection", _("Personal protection")
        COMMUNICATION = "communication", _("Communication and command")
        MONITORING = "monitoring", _("Monitoring")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=128)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    unit = models.CharField(_("unit"), max_length=16, help_text=_("e.g. bag, m, t, kg, piece, set"))
    unit_en = models.CharField(_("English unit"), max_length=16, blank=True, help_text=_("shown in English pages"))
    shelf_life_days = models.PositiveIntegerField(
        _("shelf life (days)"), null=True, blank=True, help_text=_("Empty when the item does not expire.")
    )
    consumable = models.BooleanField(
        _("consumable"), default=True, help_text=_("Consumables are used up; equipment is expected back.")
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["category", "code"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self):
        return f"{self.name} ({self.code})"

    def get_absolute_url(self):
        return reverse("inventory:item", kwargs={"code": self.code})

    def local_unit(self) -> str:
        """The unit in the active language (English when one is recorded)."""
        english = (get_language() or "").startswith("en")
        return self.unit_en if english and self.unit_en else self.unit


class LotQuerySet(models.QuerySet):
    def usable(self, today):
        """Unexpired lots. A lot may still be used on its expiry date."""
        return self.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))

    def fefo(self):
        """Earliest expiry first; lots that never expire last; then oldest receipt."""
        return self.order_by(F("expires_on").asc(nulls_last=True), "received_on", "pk")


class Lot(models.Model):
    """Stock of one item in one depot from one batch. `quantity` is on hand (always the sum of
    the ledger); `reserved` is promised to open dispatches and no longer available."""

    depot = models.ForeignKey(Depot, on_delete=models.PROTECT, related_name="lots")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="lots")
    code = models.CharField(_("lot"), max_length=60)
    quantity = models.DecimalField(_("on hand"), default=Decimal(0), **QUANTITY)
    reserved = models.DecimalField(_("reserved"), default=Decimal(0), **QUANTITY)
    received_on = models.DateField(_("received on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    objects = LotQuerySet.as_manager()

    class Meta:
        ordering = ["depot__code", "item__code", "expires_on", "code"]
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        constraints = [
            models.UniqueConstraint(fields=["depot", "item", "code"], name="lot_unique_code_per_depot_item"),
            models.CheckConstraint(condition=Q(quantity__gte=0), name="lot_quantity_not_negative"),
            models.CheckConstraint(condition=Q(reserved__gte=0), name="lot_reserved_not_negative"),
            models.CheckConstraint(condition=Q(reserved__lte=F("quantity")), name="lot_reserved_within_quantity"),
        ]
        # The nearest-depot search and FEFO both start from (item, expiry).
        indexes = [models.Index(fields=["item", "expires_on"]), models.Index(fields=["depot", "item"])]

    def __str__(self):
        return f"{self.item.code} {self.code} @ {self.depot.code}"

    @property
    def available(self) -> Decimal:
        return self.quantity - self.reserved


class Movement(models.Model):
    """One line of the append-only ledger. `quantity` is the signed change to the lot's quantity
    on hand, so the stock on hand is the sum of the ledger; `amount` is the (positive) number of
    units concerned. A consume line closing a dispatch changes nothing on hand (quantity 0,
    amount consumed): those units already left the depot with the dispatch line."""

    class Kind(models.TextChoices):
        RECEIVE = "receive", _("Receive")
        DISPATCH = "dispatch", _("Dispatch")
        RETURN = "return", _("Return")
        CONSUME = "consume", _("Consume")
        TRANSFER = "transfer", _("Transfer")
        ADJUST = "adjust", _("Adjust (stocktake)")
        WRITE_OFF = "write_off", _("Write-off")

    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="movements")
    # Denormalised from the lot so the ledger filters by depot and item without joins.
    depot = models.ForeignKey(Depot, on_delete=models.PROTECT, related_name="movements")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="movements")
    quantity = models.DecimalField(_("change on hand"), **QUANTITY)
    amount = models.DecimalField(_("quantity"), **QUANTITY)
    at = models.DateTimeField(_("at"), db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    # The incidents app is above inventory: keep its id only (docs/architecture.md, "Apps and their allowed imports").
    incident_id = models.PositiveBigIntegerField(_("incident"), null=True, blank=True, db_index=True)
    dispatch = models.ForeignKey("Dispatch", null=True, blank=True, on_delete=models.PROTECT, related_name="movements")
    # For a transfer: the other depot (destination on the outgoing line, source on the incoming).
    counterpart_depot = models.ForeignKey(
        Depot, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("other depot")
    )
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("movement")
        verbose_name_plural = _("movements")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="movement_amount_positive"),
        ]
        indexes = [models.Index(fields=["depot", "item", "at"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.quantity:+} {self.item.code} {self.lot.code}"


class StockMinimum(models.Model):
    """Below this usable quantity of an item, a depot raises a low-stock alert."""

    depot = models.ForeignKey(Depot, on_delete=models.CASCADE, related_name="minimums")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="minimums")
    minimum = models.DecimalField(_("minimum"), **QUANTITY)

    class Meta:
        ordering = ["depot__code", "item__code"]
        verbose_name = _("stock minimum")
        verbose_name_plural = _("stock minimums")
        constraints = [
            models.UniqueConstraint(fields=["depot", "item"], name="stock_minimum_unique"),
            models.CheckConstraint(condition=Q(minimum__gte=0), name="stock_minimum_not_negative"),
        ]

    def __str__(self):
        return f"{self.item.code} ≥ {self.minimum} @ {self.depot.code}"


class Dispatch(models.Model):
    """Supplies sent from a depot to an incident: requested (lots reserved) → approved →
    dispatched (the ledger movement) → delivered → closed (returned / consumed), or cancelled
    before dispatch (reservation released)."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        DISPATCHED = "dispatched", _("Dispatched")
        DELIVERED = "delivered", _("Delivered")
        CLOSED = "closed", _("Closed")
        CANCELLED = "cancelled", _("Cancelled")

    # A drill's dispatch (see inventory.hooks): no reservation and no ledger movement.
    simulated = models.BooleanField(_("simulated (drill)"), default=False)
    incident_id = models.PositiveBigIntegerField(_("incident"), null=True, blank=True, db_index=True)
    depot = models.ForeignKey(Depot, on_delete=models.PROTECT, related_name="dispatches")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="dispatches")
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.REQUESTED)
    destination = models.CharField(_("destination"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    returned_quantity = models.DecimalField(_("returned"), null=True, blank=True, **QUANTITY)
    consumed_quantity = models.DecimalField(_("consumed"), null=True, blank=True, **QUANTITY)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested at"))
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    dispatched_at = models.DateTimeField(_("dispatched at"), null=True, blank=True)
    delivered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    cancelled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        constraints = [models.CheckConstraint(condition=Q(quantity__gt=0), name="dispatch_quantity_positive")]
        permissions = [
            ("approve_dispatch", "Can approve a dispatch"),
            ("ship_dispatch", "Can send a dispatch out of the depot"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.quantity} {self.item.code} from {self.depot.code} ({self.status})"


class DispatchLot(models.Model):
    """The lots a dispatch draws on: reserved while requested/approved, then taken out."""

    dispatch = models.ForeignKey(Dispatch, on_delete=models.CASCADE, related_name="lots")
    lot = models.ForeignKey(Lot, on_delete=models.PROTECT, related_name="dispatch_lots")
    quantity = models.DecimalField(_("quantity"), **QUANTITY)
    returned = models.DecimalField(_("returned"), default=Decimal(0), **QUANTITY)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["dispatch", "lot"], name="dispatch_lot_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="dispatch_lot_quantity_positive"),
            models.CheckConstraint(
                condition=Q(returned__gte=0, returned__lte=F("quantity")), name="dispatch_lot_returned_within"
            ),
        ]
