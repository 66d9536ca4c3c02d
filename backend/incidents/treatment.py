"""Treatment at the interception space: what to bring, how much, from which depot.

Plans keeps the measures per pollutant class as data (plans.models.TreatmentMeasure, naming the
supply item by its code) and may not import inventory; this module, where both may be imported,
works out the quantities for the recommended space and the nearest depots that can supply them,
and joins the trace's answer through plans.hooks.trace_extensions (registered in apps.py).

In the incident room the result is a proposal: `dispatch_treatment` turns it, on the duty
officer's confirmation, into dispatch requests through inventory's own service (which reserves
the stock, or refuses with 409 when it is gone).
"""

from __future__ import annotations

from decimal import ROUND_UP, Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from backend.api import DomainRefusal
from inventory import services as inventory_services
from inventory.models import Depot, Dispatch, Item
from inventory.queries import nearest_depots
from plans.models import BROADER, Pollutant, RiverFeature, TreatmentMeasure

NOTE = "treatment"  # the note of every dispatch this module requests: one confirmation per incident
_DEPOTS_SHOWN = 3


def _measures(pollutant: Pollutant) -> list[TreatmentMeasure]:
    """The pollutant's class measures (and those for the pollutant alone); a class without any
    falls back to its broader class of the first catalogue (volatile_organic → organic)."""
    for category in (pollutant.category, BROADER.get(pollutant.category)):
        if category is None:
            continue
        rows = list(
            TreatmentMeasure.objects.filter(category=category, pollutant_code__in=["", pollutant.code]).order_by(
                "step", "id"
            )
        )
        if rows:
            return rows
    return []


def _quantity(measure: TreatmentMeasure, *, water_m3: float, mass_kg: float | None) -> float | None:
    """In the item's unit (tonnes of lime, metres of boom ...), rounded up to 3 decimals."""
    if measure.basis == TreatmentMeasure.Basis.PER_SPACE:
        amount = measure.dose
    elif measure.basis == TreatmentMeasure.Basis.PER_M3:
        amount = measure.dose * water_m3 / measure.item_unit_kg
    elif mass_kg is None:
        return None  # per kg of pollutant, and the mass is not known
    else:
        amount = measure.dose * mass_kg / measure.item_unit_kg
    return float(Decimal(repr(amount)).quantize(Decimal("0.001"), rounding=ROUND_UP))


def _supply(item: Item | None, quantity: float | None, lon: float, lat: float) -> tuple[list[dict], float | None]:
    """The nearest depots that together supply `quantity` (nearest full suppliers first, then
    partial ones, as inventory ranks them) and what is still short."""
    if item is None:
        return [], quantity
    wanted = Decimal(repr(quantity)) if quantity is not None else None
    rows = nearest_depots(lon=lon, lat=lat, item=item, quantity=wanted)
    if wanted is None:
        return [dict(_depot(row), take=0.0) for row in rows[:_DEPOTS_SHOWN]], None
    depots, left = [], wanted
    for row in rows:
        if left <= 0:
            break
        take = min(Decimal(repr(row["available"])), left)
        depots.append(dict(_depot(row), take=float(take)))
        left -= take
    return depots, float(max(left, Decimal(0)))


def _depot(row: dict) -> dict:
    return {key: row[key] for key in ("depot", "name", "available", "distance_m", "road_minutes")}


def treatment_for(
    space: dict | None, *, pollutant: Pollutant | None, mass_kg: float | None, location=None
) -> dict | None:
    """The treatment for the trace's recommended `space` ((lon, lat) `location` when the caller
    knows it); None without a space or a pollutant."""
    if space is None or pollutant is None:
        return None
    measures = _measures(pollutant)
    if location is None:
        point = RiverFeature.objects.filter(pk=space["id"]).values_list("location", flat=True).first()
        if point is None:
            return None
        location = (point.x, point.y)
    capacity = space.get("capacity_m3")
    water_m3 = space["plume_volume_m3"] if capacity is None else min(space["plume_volume_m3"], capacity)
    items = {i.code: i for i in Item.objects.filter(code__in=[m.item_code for m in measures])}
    lines = []
    for measure in measures:
        item = items.get(measure.item_code)
        quantity = _quantity(measure, water_m3=water_m3, mass_kg=mass_kg)
        depots, short = _supply(item, quantity, *location)
        lines.append(
            {
                "step": measure.step,
                "measure": measure.name,
                # Both names: the trace is stored on the incident and read by pages in either language.
                "measure_en": measure.name_en,
                "item": measure.item_code,
                "item_name": item.name if item else None,
                "item_name_en": item.name_en if item else None,
                "unit": item.unit if item else None,
                "unit_en": item.unit_en if item else None,
                "basis": measure.basis,
                "dose": measure.dose,
                "quantity": quantity,
                "depots": depots,
                "short": short,
                "source": measure.source,
            }
        )
    return {"space": space["id"], "category": pollutant.category, "water_m3": round(water_m3, 1), "items": lines}


def extend_trace(result: dict, *, pollutant=None, mass_kg=None, space_locations=None, **_context) -> None:
    """plans.hooks.trace_extensions entry: the trace answer's `treatment`."""
    space = result.get("recommended_space")
    location = (space_locations or {}).get(space["id"]) if space else None
    result["treatment"] = treatment_for(space, pollutant=pollutant, mass_kg=mass_kg, location=location)


@transaction.atomic
def dispatch_treatment(incident, *, actor=None) -> list[Dispatch]:
    """The duty officer's confirmation: one dispatch request per depot and item of the treatment
    worked out now (stock may have moved since the incident opened). All or nothing: a shortage
    at one depot (409 from inventory) requests nothing. Refused (409) when the treatment was
    already requested for this incident or there is nothing to request."""
    # The incident's row lock (the one every event writer takes) makes two confirmations in a row
    # request once: the second sees the first's dispatches.
    type(incident).objects.select_for_update().filter(pk=incident.pk).first()
    if Dispatch.objects.filter(incident_id=incident.pk, note=NOTE).exists():
        raise DomainRefusal(_("The treatment has already been requested for this incident."))
    trace = incident.trace or {}
    treatment = treatment_for(trace.get("recommended_space"), pollutant=incident.pollutant, mass_kg=incident.mass_kg)
    wanted = [
        (line["item"], depot["depot"], depot["take"])
        for line in (treatment or {}).get("items", [])
        for depot in line["depots"]
        if depot["take"] > 0
    ]
    if not wanted:
        raise DomainRefusal(_("There is no treatment to request: no recommended space, measure or stock."))
    items = {i.code: i for i in Item.objects.filter(code__in={code for code, _d, _q in wanted})}
    depots = {d.code: d for d in Depot.objects.filter(code__in={code for _i, code, _q in wanted})}
    space = trace["recommended_space"]
    return [
        inventory_services.request_dispatch(
            depot=depots[depot],
            item=items[item],
            quantity=Decimal(repr(quantity)),
            incident_id=incident.pk,
            destination=space["name"],
            note=NOTE,
            actor=actor,
        )
        for item, depot, quantity in wanted
    ]
