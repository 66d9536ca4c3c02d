"""Read-side questions about stock: nearest depots, alerts, ledger drift, summaries.

Nothing here writes. Distances are geodesic metres from PostGIS geography (WGS84 spheroid),
never degrees.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import connection
from django.db.models import DecimalField, F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from backend.names import pick

from .hours import depot_availability
from .models import Depot, Dispatch, DispatchLot, Item, Lot, StockMinimum

ZERO = Decimal(0)

NEAREST_SQL = """
WITH stock AS (
    SELECT depot_id, SUM(quantity - reserved) AS available
    FROM inventory_lot
    WHERE item_id = %(item)s
      AND quantity > reserved
      AND (expires_on IS NULL OR expires_on >= %(today)s)
    GROUP BY depot_id
)
SELECT d.id, d.code, d.name, ST_X(d.location), ST_Y(d.location), s.available,
       ST_Distance(d.location::geography, ST_SetSRID(ST_MakePoint(%(lon)s, %(lat)s), 4326)::geography) AS distance_m
FROM stock s JOIN inventory_depot d ON d.id = s.depot_id
WHERE d.active
ORDER BY s.available < %(quantity)s, distance_m, d.code
"""


def road_speed_kmh() -> float:
    return float(settings.INVENTORY_ROAD_SPEED_KMH)


def nearest_depots(*, lon: float, lat: float, item: Item, quantity: Decimal | None = None, today: date | None = None):
    """Depots holding usable (unexpired, unreserved) units of `item`: first those that can
    supply `quantity` in full, then the partial ones, each group nearest first."""
    today = today or timezone.localdate()
    wanted = quantity if quantity is not None else ZERO
    metres_per_minute = road_speed_kmh() * 1000 / 60
    with connection.cursor() as cursor:
        cursor.execute(NEAREST_SQL, {"item": item.pk, "today": today, "lon": lon, "lat": lat, "quantity": wanted})
        rows = cursor.fetchall()
    # Hours, open now, who to call: at night the nearest depot may be shut (hours.py).
    depots = Depot.objects.select_related("manager", "department").in_bulk([row[0] for row in rows])
    now = timezone.now()
    return [
        {
            "id": pk,
            "depot": code,
            "name": name,
            "location": {"type": "Point", "coordinates": [x, y]},
            "available": float(available),
            "distance_m": round(distance, 1),
            "road_minutes": round(distance / metres_per_minute, 1),
            "partial": available < wanted,
            **depot_availability(depots[pk], now),
        }
        for pk, code, name, x, y, available, distance in rows
    ]


# --- alerts -------------------------------------------------------------------------------


def expiry_warning_days() -> int:
    return int(settings.INVENTORY_EXPIRY_WARNING_DAYS)


def usable_by_depot_item(today: date) -> dict[tuple[int, int], Decimal]:
    rows = (
        Lot.objects.usable(today)
        .values("depot_id", "item_id")
        .annotate(available=Sum(F("quantity") - F("reserved")))
        .values_list("depot_id", "item_id", "available")
    )
    return {(d, i): a for d, i, a in rows}


def stock_alerts(today: date | None = None, warning_days: int | None = None) -> dict:
    """The daily digest: items below their depot minimum (counting usable, unreserved units),
    lots expiring within `warning_days`, and expired lots still on the books."""
    today = today or timezone.localdate()
    warning_days = expiry_warning_days() if warning_days is None else warning_days
    usable = usable_by_depot_item(today)
    low = []
    for m in StockMinimum.objects.select_related("depot", "item").filter(depot__active=True):
        available = usable.get((m.depot_id, m.item_id), ZERO)
        if available < m.minimum:
            low.append(
                {
                    "depot": m.depot.code,
                    "depot_name": m.depot.name,
                    "depot_id": m.depot_id,
                    "item": m.item.code,
                    "item_name": m.item.name,
                    "item_name_en": m.item.name_en,
                    "unit": m.item.unit,
                    "unit_en": m.item.unit_en,
                    "minimum": float(m.minimum),
                    "available": float(available),
                    "managers": list(m.depot.managers.values_list("pk", flat=True)),
                }
            )
    horizon = today + timedelta(days=warning_days)
    dated = Lot.objects.filter(quantity__gt=0, expires_on__isnull=False, expires_on__lte=horizon)
    expiring, expired = [], []
    for lot in dated.select_related("depot", "item").order_by("expires_on", "depot__code"):
        entry = {
            "depot": lot.depot.code,
            "depot_name": lot.depot.name,
            "depot_id": lot.depot_id,
            "item": lot.item.code,
            "item_name": lot.item.name,
            "item_name_en": lot.item.name_en,
            "unit": lot.item.unit,
            "unit_en": lot.item.unit_en,
            "lot": lot.code,
            "lot_id": lot.pk,
            "quantity": float(lot.quantity),
            "expires_on": lot.expires_on.isoformat(),
            "days_left": (lot.expires_on - today).days,
        }
        (expired if lot.expires_on < today else expiring).append(entry)
    return {
        "on": today.isoformat(),
        "warning_days": warning_days,
        "low_stock": low,
        "expiring": expiring,
        "expired": expired,
    }


# --- ledger -------------------------------------------------------------------------------


@dataclass
class Drift:
    lot: Lot
    field: str  # "quantity" (vs the ledger) or "reserved" (vs open dispatches)
    recorded: Decimal
    expected: Decimal


def ledger_drift() -> list[Drift]:
    """Lots whose quantity is not the sum of their ledger, or whose reservation is not the sum
    of their open dispatches. Empty when the books are consistent."""
    dec = DecimalField(max_digits=20, decimal_places=3)
    open_states = [Dispatch.Status.REQUESTED, Dispatch.Status.APPROVED]
    ledger = Lot.objects.annotate(ledger=Coalesce(Sum("movements__quantity"), ZERO, output_field=dec)).exclude(
        ledger=F("quantity")
    )
    drift = [Drift(lot, "quantity", lot.quantity, lot.ledger) for lot in ledger.select_related("depot", "item")]
    reserved = {
        row["lot_id"]: row["total"]
        for row in DispatchLot.objects.filter(dispatch__status__in=open_states)
        .values("lot_id")
        .annotate(total=Sum("quantity"))
    }
    for lot in Lot.objects.filter(Q(reserved__gt=0) | Q(pk__in=list(reserved))).select_related("depot", "item"):
        expected = reserved.get(lot.pk, ZERO)
        if lot.reserved != expected:
            drift.append(Drift(lot, "reserved", lot.reserved, expected))
    return drift


# --- summaries for pages ------------------------------------------------------------------


def depot_summaries(today: date | None = None) -> dict[int, list[dict]]:
    """Per depot: usable quantity of each item (for the map popups)."""
    today = today or timezone.localdate()
    rows = (
        Lot.objects.usable(today)
        .filter(quantity__gt=0)
        .values("depot_id", "item__code", "item__name", "item__name_en", "item__unit", "item__unit_en")
        .annotate(on_hand=Sum("quantity"), reserved=Sum("reserved"))
        .order_by("depot_id", "item__category", "item__code")
    )
    out: dict[int, list[dict]] = {}
    for r in rows:
        out.setdefault(r["depot_id"], []).append(
            {
                "item": r["item__code"],
                "name": pick(r["item__name"], r["item__name_en"]),  # the page's language
                "unit": r["item__unit"],
                "unit_en": r["item__unit_en"],
                "on_hand": float(r["on_hand"]),
                "available": float(r["on_hand"] - r["reserved"]),
            }
        )
    return out


def active_depots():
    return Depot.objects.filter(active=True)
