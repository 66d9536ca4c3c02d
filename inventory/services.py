"""The verbs of inventory: the only code that writes depots, items, lots, the ledger and dispatches.

Every verb is one transaction. Stock rules are enforced by locking the lots concerned
(`SELECT ... FOR UPDATE`, always in primary-key order so two verbs never wait on each other in
a cycle) and, as a last line, by the CHECK constraints on Lot: a race can only end in a
refusal, never in negative stock. Dispatch steps are announced inside their transaction (signals.py).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.domain import DomainRefusal

from . import hooks, queries, signals
from .models import QUANTITY, Depot, Dispatch, DispatchLot, Item, Lot, Movement, StockMinimum

ZERO = Decimal(0)
Kind = Movement.Kind
Status = Dispatch.Status


# --- helpers ------------------------------------------------------------------------------


def quantity_value(value, field: str = "quantity", *, allow_zero: bool = False) -> Decimal:
    """A positive decimal in the item's unit, with at most three decimals, or a 400 naming the field."""
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError({field: [_("Enter a number.")]})
    if not number.is_finite():
        raise ValidationError({field: [_("Enter a number.")]})
    if number < 0 or (number == 0 and not allow_zero):
        raise ValidationError({field: [_("Enter a quantity greater than zero.")]})
    if number != number.quantize(Decimal(1).scaleb(-QUANTITY["decimal_places"])):
        raise ValidationError({field: [_("Use at most three decimal places.")]})
    if number >= Decimal(10) ** (QUANTITY["max_digits"] - QUANTITY["decimal_places"]):
        raise ValidationError({field: [_("This quantity is too large.")]})
    return number


def as_number(value: Decimal | None) -> float | None:
    """Quantities are JSON numbers (README.md, "API")."""
    return None if value is None else float(value)


def _check_incident(incident_id: int | None) -> None:
    """An incident id must name an incident (when the incidents app can tell: inventory.hooks)."""
    if not hooks.incident_exists(incident_id):
        raise ValidationError({"incident": [_("No incident with this id.")]})


def _today(now: datetime) -> date:
    return timezone.localdate(now)


def _locked_lots(depot: Depot, item: Item) -> list[Lot]:
    # FOR UPDATE in pk order: concurrent verbs queue on the same rows in the same order, and
    # each sees the latest committed quantities once it holds the locks.
    return list(Lot.objects.filter(depot=depot, item=item).order_by("pk").select_for_update())


def _lock_lots_by_pk(pks) -> dict[int, Lot]:
    return {lot.pk: lot for lot in Lot.objects.filter(pk__in=pks).order_by("pk").select_for_update()}


def _fefo_key(lot: Lot):
    return (lot.expires_on is None, lot.expires_on or date.max, lot.received_on, lot.pk)


def _usable(lot: Lot, today: date) -> bool:
    return lot.expires_on is None or lot.expires_on >= today


def _record(lot: Lot, kind: str, amount: Decimal, change: Decimal, *, now, actor, **extra) -> Movement:
    """Change a (locked) lot by `change` and write the ledger line that explains it."""
    if change:
        lot.quantity += change
        lot.save(update_fields=["quantity", "reserved"])
    return Movement.objects.create(
        kind=kind,
        lot=lot,
        depot_id=lot.depot_id,
        item_id=lot.item_id,
        quantity=change,
        amount=amount,
        at=now,
        actor=actor,
        **extra,
    )


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Give a reason.")]})
    return reason


def _refuse_short(available: Decimal, wanted: Decimal):
    raise DomainRefusal(
        _("Not enough usable stock: %(available)s available, %(wanted)s requested.")
        % {"available": f"{available.normalize():f}", "wanted": f"{wanted.normalize():f}"},
        available=as_number(available),
    )


# --- catalogue and depots -----------------------------------------------------------------


@transaction.atomic
def save_depot(*, depot: Depot | None = None, managers=None, **fields) -> Depot:
    depot = depot or Depot()
    for name, value in fields.items():
        setattr(depot, name, value)
    depot.full_clean()
    depot.save()
    if managers is not None:
        depot.managers.set(managers)
    return depot


@transaction.atomic
def bind_manager(depot: Depot, user) -> None:
    """Make `user` (a depot manager) act for `depot`."""
    depot.managers.add(user)


@transaction.atomic
def save_item(*, item: Item | None = None, **fields) -> Item:
    item = item or Item()
    for name, value in fields.items():
        setattr(item, name, value)
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def set_minimum(*, depot: Depot, item: Item, minimum) -> StockMinimum:
    minimum = quantity_value(minimum, "minimum", allow_zero=True)
    found, _created = StockMinimum.objects.update_or_create(depot=depot, item=item, defaults={"minimum": minimum})
    return found


# --- stock movements ----------------------------------------------------------------------


@transaction.atomic
def receive(
    *,
    depot: Depot,
    item: Item,
    quantity,
    lot: str = "",
    expires_on: date | None = None,
    received_on: date | None = None,
    actor=None,
    reason: str = "",
    incident_id: int | None = None,
    now: datetime | None = None,
) -> Movement:
    """Stock arrives at a depot: into the named lot (created if new) with a receive movement.
    Expired stock may be received (a stocktake finds it) but is never dispatched."""
    now = now or timezone.now()
    quantity = quantity_value(quantity)
    if item.shelf_life_days and expires_on is None:
        raise ValidationError({"expires_on": [_("This item has a shelf life: give the expiry date.")]})
    received_on = received_on or _today(now)
    code = (lot or "").strip() or f"R{received_on:%Y%m%d}"
    target, created = Lot.objects.select_for_update().get_or_create(
        depot=depot,
        item=item,
        code=code,
        defaults={"received_on": received_on, "expires_on": expires_on},
    )
    if not created and expires_on is not None and target.expires_on != expires_on:
        message = _("Lot %(lot)s already exists with expiry %(date)s.") % {"lot": code, "date": target.expires_on}
        raise ValidationError({"expires_on": [message]})
    return _record(
        target, Kind.RECEIVE, quantity, quantity, now=now, actor=actor, reason=reason, incident_id=incident_id
    )


@transaction.atomic
def adjust(*, lot: Lot, counted, reason: str, actor=None, now: datetime | None = None) -> Movement | None:
    """Stocktake: the counted quantity replaces the quantity on hand, through an adjust
    movement carrying the reason. Returns None when the count matches."""
    now = now or timezone.now()
    counted = quantity_value(counted, "counted", allow_zero=True)
    reason = _require_reason(reason)
    lot = Lot.objects.select_for_update().get(pk=lot.pk)
    if counted < lot.reserved:
        raise DomainRefusal(
            _("The count is below the quantity reserved for open dispatches; cancel them first."),
            reserved=as_number(lot.reserved),
        )
    delta = counted - lot.quantity
    if not delta:
        return None
    return _record(lot, Kind.ADJUST, abs(delta), delta, now=now, actor=actor, reason=reason)


def _take_from_lot(lot: Lot, kind: str, quantity, reason: str, *, actor, now, incident_id=None) -> Movement:
    quantity = quantity_value(quantity)
    lot = Lot.objects.select_for_update().get(pk=lot.pk)
    if lot.available < quantity:
        _refuse_short(lot.available, quantity)
    return _record(lot, kind, quantity, -quantity, now=now, actor=actor, reason=reason, incident_id=incident_id)


@transaction.atomic
def write_off(*, lot: Lot, quantity, reason: str, actor=None, now: datetime | None = None) -> Movement:
    """Expired or damaged stock leaves the books (reserved units cannot be written off)."""
    reason = _require_reason(reason)
    return _take_from_lot(lot, Kind.WRITE_OFF, quantity, reason, actor=actor, now=now or timezone.now())


@transaction.atomic
def consume(
    *, lot: Lot, quantity, reason: str, actor=None, incident_id: int | None = None, now: datetime | None = None
) -> Movement:
    """Stock used directly at the depot (training, a small spill) without a dispatch."""
    reason = _require_reason(reason)
    _check_incident(incident_id)
    now = now or timezone.now()
    return _take_from_lot(lot, Kind.CONSUME, quantity, reason, actor=actor, now=now, incident_id=incident_id)


@transaction.atomic
def transfer(
    *, lot: Lot, to_depot: Depot, quantity, actor=None, reason: str = "", now: datetime | None = None
) -> tuple[Movement, Movement]:
    """Move unreserved units of a lot to another depot; the lot keeps its code and expiry there."""
    now = now or timezone.now()
    quantity = quantity_value(quantity)
    if to_depot.pk == lot.depot_id:
        raise ValidationError({"to_depot": [_("Choose another depot.")]})
    if not to_depot.active:
        raise ValidationError({"to_depot": [_("This depot is out of service.")]})
    target, _created = Lot.objects.get_or_create(
        depot=to_depot,
        item_id=lot.item_id,
        code=lot.code,
        defaults={"received_on": _today(now), "expires_on": lot.expires_on},
    )
    if target.expires_on != lot.expires_on:
        raise ValidationError({"lot": [_("The other depot holds a lot with this code and another expiry.")]})
    locked = _lock_lots_by_pk([lot.pk, target.pk])
    source, target = locked[lot.pk], locked[target.pk]
    if source.available < quantity:
        _refuse_short(source.available, quantity)
    out = _record(
        source, Kind.TRANSFER, quantity, -quantity, now=now, actor=actor, reason=reason, counterpart_depot=to_depot
    )
    into = _record(
        target, Kind.TRANSFER, quantity, quantity, now=now, actor=actor, reason=reason, counterpart_depot=source.depot
    )
    return out, into


# --- dispatches ---------------------------------------------------------------------------


def _announce(dispatch: Dispatch, step: str, actor) -> None:
    data = {
        "dispatch": dispatch.pk,
        "incident": dispatch.incident_id,
        "step": step,
        "depot": dispatch.depot.code,
        "item": dispatch.item.code,
        "unit": dispatch.item.unit,
        "quantity": as_number(dispatch.quantity),
        "returned_quantity": as_number(dispatch.returned_quantity),
        "consumed_quantity": as_number(dispatch.consumed_quantity),
        "lots": [{"lot": r.lot.code, "quantity": as_number(r.quantity)} for r in dispatch.lots.select_related("lot")],
    }
    # Inside the step's transaction (docs/architecture.md, "Announcements"): the incident's
    # timeline entry commits or rolls back with the step; a failing listener fails the step.
    signals.dispatch_changed.send(sender=Dispatch, dispatch=dispatch, step=step, actor=actor, data=data)


def _locked_dispatch(dispatch: Dispatch, *allowed: str) -> Dispatch:
    # of=("self",): lock the dispatch row only. Without it PostgreSQL also locks the joined depot
    # and item rows, which every concurrent insert referencing them (FK key-share) then waits on.
    query = Dispatch.objects.select_for_update(of=("self",)).select_related("depot", "item")
    dispatch = query.get(pk=dispatch.pk)
    if dispatch.status not in allowed:
        message = _("This dispatch is %(status)s; that step is not possible now.")
        raise DomainRefusal(message % {"status": dispatch.get_status_display()}, status=dispatch.status)
    return dispatch


def _reserve(dispatch: Dispatch, lots: list[Lot], quantity: Decimal, today: date) -> None:
    """Reserve `quantity` on the usable lots, earliest expiry first (FEFO)."""
    usable = sorted((lot for lot in lots if _usable(lot, today) and lot.available > 0), key=_fefo_key)
    available = sum((lot.available for lot in usable), ZERO)
    if available < quantity:
        _refuse_short(available, quantity)
    remaining = quantity
    for lot in usable:
        take = min(lot.available, remaining)
        lot.reserved += take
        lot.save(update_fields=["reserved"])
        row, created = DispatchLot.objects.get_or_create(dispatch=dispatch, lot=lot, defaults={"quantity": take})
        if not created:
            row.quantity += take
            row.save(update_fields=["quantity"])
        remaining -= take
        if not remaining:
            break


@transaction.atomic
def request_dispatch(
    *,
    depot: Depot,
    item: Item,
    quantity,
    incident_id: int | None = None,
    actor=None,
    destination: str = "",
    note: str = "",
    now: datetime | None = None,
) -> Dispatch:
    """Ask for supplies for an incident: the usable lots are reserved at once (FEFO), so
    nobody else can promise the same units; 409 with the available quantity otherwise."""
    now = now or timezone.now()
    quantity = quantity_value(quantity)
    if not depot.active:
        raise ValidationError({"depot": [_("This depot is out of service.")]})
    _check_incident(incident_id)
    lots = _locked_lots(depot, item)
    simulated = hooks.is_simulated(incident_id)
    dispatch = Dispatch.objects.create(
        simulated=simulated,
        incident_id=incident_id,
        depot=depot,
        item=item,
        quantity=quantity,
        destination=destination,
        note=note,
        requested_by=actor,
        requested_at=now,
    )
    if simulated:
        # A drill practises the request against the real stock figures but holds nothing:
        # no reservation, and (with no reserved lots) no ledger movement at any later step.
        today = _today(now)
        available = sum((lot.available for lot in lots if _usable(lot, today) and lot.available > 0), ZERO)
        if available < quantity:
            _refuse_short(available, quantity)
    else:
        _reserve(dispatch, lots, quantity, _today(now))
    _announce(dispatch, Status.REQUESTED, actor)
    return dispatch


@transaction.atomic
def approve_dispatch(dispatch: Dispatch, *, actor=None, now: datetime | None = None) -> Dispatch:
    dispatch = _locked_dispatch(dispatch, Status.REQUESTED)
    dispatch.status, dispatch.approved_by, dispatch.approved_at = Status.APPROVED, actor, now or timezone.now()
    dispatch.save(update_fields=["status", "approved_by", "approved_at"])
    _announce(dispatch, Status.APPROVED, actor)
    return dispatch


@transaction.atomic
def dispatch_stock(dispatch: Dispatch, *, actor=None, now: datetime | None = None) -> Dispatch:
    """The supplies leave the depot: one dispatch movement per reserved lot. A reserved lot
    that expired while the dispatch waited is swapped for usable stock (or the step is refused)."""
    now = now or timezone.now()
    dispatch = _locked_dispatch(dispatch, Status.APPROVED)
    lots = {lot.pk: lot for lot in _locked_lots(dispatch.depot, dispatch.item)}
    today = _today(now)
    for row in list(dispatch.lots.all()):
        lot = lots[row.lot_id]
        if not _usable(lot, today):
            lot.reserved -= row.quantity
            lot.save(update_fields=["reserved"])
            row.delete()
            _reserve(dispatch, list(lots.values()), row.quantity, today)
    for row in dispatch.lots.all():
        lot = lots[row.lot_id]
        lot.reserved -= row.quantity
        _record(
            lot,
            Kind.DISPATCH,
            row.quantity,
            -row.quantity,
            now=now,
            actor=actor,
            incident_id=dispatch.incident_id,
            dispatch=dispatch,
        )
    dispatch.status, dispatch.dispatched_by, dispatch.dispatched_at = Status.DISPATCHED, actor, now
    dispatch.save(update_fields=["status", "dispatched_by", "dispatched_at"])
    _announce(dispatch, Status.DISPATCHED, actor)
    return dispatch


@transaction.atomic
def deliver_dispatch(dispatch: Dispatch, *, actor=None, now: datetime | None = None) -> Dispatch:
    dispatch = _locked_dispatch(dispatch, Status.DISPATCHED)
    dispatch.status, dispatch.delivered_by, dispatch.delivered_at = Status.DELIVERED, actor, now or timezone.now()
    dispatch.save(update_fields=["status", "delivered_by", "delivered_at"])
    _announce(dispatch, Status.DELIVERED, actor)
    return dispatch


@transaction.atomic
def close_dispatch(dispatch: Dispatch, *, returned_quantity=0, actor=None, now: datetime | None = None) -> Dispatch:
    """What came back goes into the lots it left (latest expiry first: the units kept longest
    in reserve are the ones most likely still unopened); the rest is recorded as consumed."""
    now = now or timezone.now()
    dispatch = _locked_dispatch(dispatch, Status.DISPATCHED, Status.DELIVERED)
    returned = quantity_value(returned_quantity or 0, "returned_quantity", allow_zero=True)
    if returned > dispatch.quantity:
        raise ValidationError({"returned_quantity": [_("More than was dispatched.")]})
    rows = sorted(dispatch.lots.select_related("lot"), key=lambda r: _fefo_key(r.lot), reverse=True)
    locked = _lock_lots_by_pk([r.lot_id for r in rows])
    remaining = returned
    for row in rows:
        lot = locked[row.lot_id]
        back = min(row.quantity, remaining)
        remaining -= back
        extra = {"incident_id": dispatch.incident_id, "dispatch": dispatch}
        if back:
            row.returned = back
            row.save(update_fields=["returned"])
            _record(lot, Kind.RETURN, back, back, now=now, actor=actor, **extra)
        if row.quantity - back:
            # Delta 0: these units left the depot with the dispatch movement already.
            _record(lot, Kind.CONSUME, row.quantity - back, ZERO, now=now, actor=actor, **extra)
    dispatch.returned_quantity, dispatch.consumed_quantity = returned, dispatch.quantity - returned
    dispatch.status, dispatch.closed_by, dispatch.closed_at = Status.CLOSED, actor, now
    dispatch.save(update_fields=["returned_quantity", "consumed_quantity", "status", "closed_by", "closed_at"])
    _announce(dispatch, Status.CLOSED, actor)
    return dispatch


@transaction.atomic
def cancel_dispatch(dispatch: Dispatch, *, actor=None, now: datetime | None = None) -> Dispatch:
    """Before the supplies leave, a dispatch can be cancelled: its reservation is released."""
    dispatch = _locked_dispatch(dispatch, Status.REQUESTED, Status.APPROVED)
    rows = list(dispatch.lots.all())
    locked = _lock_lots_by_pk([r.lot_id for r in rows])
    for row in rows:
        lot = locked[row.lot_id]
        lot.reserved -= row.quantity
        lot.save(update_fields=["reserved"])
    dispatch.status, dispatch.cancelled_by, dispatch.cancelled_at = Status.CANCELLED, actor, now or timezone.now()
    dispatch.save(update_fields=["status", "cancelled_by", "cancelled_at"])
    _announce(dispatch, Status.CANCELLED, actor)
    return dispatch


# --- alerts -------------------------------------------------------------------------------


@transaction.atomic
def announce_stock_alerts(today: date | None = None) -> dict:
    """Compute the low-stock and expiry digest and announce it (signals.stock_alerts_computed),
    so the SMS app can tell each depot manager once it exists. Returns the digest."""
    today = today or timezone.localdate()
    digest = queries.stock_alerts(today=today)
    signals.announce(signals.stock_alerts_computed, None, digest=digest, on=today)
    return digest
