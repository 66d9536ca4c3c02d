"""The stock rules, tested through the services against the real database."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from backend.api import DomainRefusal
from inventory import queries, services, signals
from inventory.models import Dispatch, Lot, Movement

pytestmark = pytest.mark.django_db


def lot(depot, item, code):
    return Lot.objects.get(depot=depot, item=item, code=code)


def test_it_reserves_the_earliest_expiring_usable_lots_first(depots, items, stock):
    city, pac = depots["XZ-CITY-01"], items["pac"]
    stock(city, pac, 5, lot="late", days=200)
    stock(city, pac, 5, lot="early", days=30)
    stock(city, pac, 5, lot="middle", days=100)
    stock(city, pac, 50, lot="expired", days=-1)

    dispatch = services.request_dispatch(depot=city, item=pac, quantity=8)

    reserved = [(row.lot.code, row.quantity) for row in dispatch.lots.select_related("lot").order_by("pk")]
    assert reserved == [("early", Decimal(5)), ("middle", Decimal(3))]
    assert lot(city, pac, "expired").reserved == 0
    assert lot(city, pac, "late").reserved == 0


def test_it_never_reserves_expired_lots(depots, items, stock):
    city, pac = depots["XZ-CITY-01"], items["pac"]
    stock(city, pac, 100, lot="old", days=-1)
    stock(city, pac, 2, lot="fresh", days=10)

    with pytest.raises(DomainRefusal) as refused:
        services.request_dispatch(depot=city, item=pac, quantity=3)

    assert refused.value.extra == {"available": 2.0}
    assert not Dispatch.objects.exists()
    assert Lot.objects.get(code="fresh").reserved == 0


def test_a_lot_is_still_usable_on_its_expiry_date(depots, items, stock):
    city, pac = depots["XZ-CITY-01"], items["pac"]
    stock(city, pac, 1, lot="today", days=0)
    assert services.request_dispatch(depot=city, item=pac, quantity=1).lots.get().lot.code == "today"


def test_reserved_units_are_not_available_to_anyone_else(depots, items, stock):
    city, sandbag = depots["XZ-CITY-01"], items["sandbag"]
    stock(city, sandbag, 10, days=None)
    services.request_dispatch(depot=city, item=sandbag, quantity=7)
    with pytest.raises(DomainRefusal) as refused:
        services.request_dispatch(depot=city, item=sandbag, quantity=4)
    assert refused.value.extra["available"] == 3.0


def test_the_whole_life_of_a_dispatch_keeps_the_ledger_consistent(depots, items, stock, duty_officer, make_incident):
    city, pump = depots["XZ-CITY-01"], items["pump"]
    stock(city, pump, 4, lot="P1", days=None)
    stock(city, pump, 4, lot="P2", days=None, received_days_ago=10)
    incident = make_incident()

    dispatch = services.request_dispatch(depot=city, item=pump, quantity=6, incident_id=incident, actor=duty_officer)
    services.approve_dispatch(dispatch, actor=duty_officer)
    services.dispatch_stock(dispatch, actor=duty_officer)
    assert sum(x.quantity for x in Lot.objects.filter(item=pump)) == 2
    assert sum(x.reserved for x in Lot.objects.filter(item=pump)) == 0
    services.deliver_dispatch(dispatch)
    closed = services.close_dispatch(dispatch, returned_quantity=5)

    assert closed.status == Dispatch.Status.CLOSED
    assert (closed.returned_quantity, closed.consumed_quantity) == (5, 1)
    assert sum(x.quantity for x in Lot.objects.filter(item=pump)) == 7
    kinds = list(Movement.objects.filter(dispatch=dispatch).values_list("kind", flat=True).order_by("pk"))
    assert kinds.count("dispatch") == 2 and "return" in kinds and "consume" in kinds
    assert set(Movement.objects.filter(dispatch=dispatch).values_list("incident_id", flat=True)) == {incident}
    assert queries.ledger_drift() == []


def test_cancelling_before_dispatch_releases_the_reservation(depots, items, stock):
    city, sandbag = depots["XZ-CITY-01"], items["sandbag"]
    stock(city, sandbag, 10, days=None)
    dispatch = services.request_dispatch(depot=city, item=sandbag, quantity=10)
    services.approve_dispatch(dispatch)
    services.cancel_dispatch(dispatch)
    assert lot(city, sandbag, "L1").reserved == 0
    assert services.request_dispatch(depot=city, item=sandbag, quantity=10).status == "requested"
    assert queries.ledger_drift() == []


def test_a_dispatched_dispatch_cannot_be_cancelled(depots, items, stock):
    city, sandbag = depots["XZ-CITY-01"], items["sandbag"]
    stock(city, sandbag, 10, days=None)
    dispatch = services.request_dispatch(depot=city, item=sandbag, quantity=1)
    services.approve_dispatch(dispatch)
    services.dispatch_stock(dispatch)
    with pytest.raises(DomainRefusal) as refused:
        services.cancel_dispatch(dispatch)
    assert refused.value.extra == {"status": "dispatched"}


def test_steps_must_come_in_order(depots, items, stock):
    city, sandbag = depots["XZ-CITY-01"], items["sandbag"]
    stock(city, sandbag, 10, days=None)
    dispatch = services.request_dispatch(depot=city, item=sandbag, quantity=1)
    with pytest.raises(DomainRefusal):
        services.dispatch_stock(dispatch)
    with pytest.raises(DomainRefusal):
        services.close_dispatch(dispatch)


def test_a_reserved_lot_that_expires_before_dispatch_is_swapped_for_usable_stock(depots, items, stock):
    city, pac = depots["XZ-CITY-01"], items["pac"]
    stock(city, pac, 2, lot="soon", days=1)
    stock(city, pac, 5, lot="later", days=300)
    dispatch = services.request_dispatch(depot=city, item=pac, quantity=2)
    services.approve_dispatch(dispatch)
    services.dispatch_stock(dispatch, now=timezone.now() + timedelta(days=3))
    assert [row.lot.code for row in dispatch.lots.all()] == ["later"]
    assert lot(city, pac, "soon").quantity == 2
    assert lot(city, pac, "later").quantity == 3
    assert queries.ledger_drift() == []


def test_closing_refuses_to_return_more_than_was_dispatched(depots, items, stock):
    city, sandbag = depots["XZ-CITY-01"], items["sandbag"]
    stock(city, sandbag, 10, days=None)
    dispatch = services.request_dispatch(depot=city, item=sandbag, quantity=3)
    services.approve_dispatch(dispatch)
    services.dispatch_stock(dispatch)
    with pytest.raises(ValidationError) as invalid:
        services.close_dispatch(dispatch, returned_quantity=4)
    assert "returned_quantity" in invalid.value.message_dict


@pytest.mark.parametrize("bad", ["-1", "0", "abc", "1.0001", "NaN", ""])
def test_bad_quantities_name_the_field_and_write_nothing(depots, items, bad):
    with pytest.raises(ValidationError) as invalid:
        services.receive(depot=depots["XZ-CITY-01"], item=items["sandbag"], quantity=bad, lot="X")
    assert list(invalid.value.message_dict) == ["quantity"]
    assert not Lot.objects.exists() and not Movement.objects.exists()


def test_items_with_a_shelf_life_need_an_expiry_date(depots, items):
    with pytest.raises(ValidationError) as invalid:
        services.receive(depot=depots["XZ-CITY-01"], item=items["pac"], quantity=1)
    assert list(invalid.value.message_dict) == ["expires_on"]


def test_receiving_into_an_existing_lot_adds_to_it(depots, items, stock):
    city, sandbag = depots["XZ-CITY-01"], items["sandbag"]
    stock(city, sandbag, 10, days=None)
    stock(city, sandbag, 5, days=None)
    assert lot(city, sandbag, "L1").quantity == 15
    assert Movement.objects.filter(kind="receive").count() == 2


def test_stocktake_transfer_and_write_off_are_ledger_lines(depots, items, stock, duty_officer):
    city, county, pac = depots["XZ-CITY-01"], depots["XZ-YP-01"], items["pac"]
    stock(city, pac, 10, lot="A", days=100)
    source = lot(city, pac, "A")

    services.adjust(lot=source, counted=9, reason="stocktake 2026-Q4: one bag torn", actor=duty_officer)
    services.transfer(lot=source, to_depot=county, quantity=4, actor=duty_officer)
    services.write_off(lot=lot(county, pac, "A"), quantity=1, reason="damaged in transport")

    assert lot(city, pac, "A").quantity == 5
    assert lot(county, pac, "A").quantity == 3
    assert lot(county, pac, "A").expires_on == source.expires_on
    assert queries.ledger_drift() == []
    with pytest.raises(ValidationError) as invalid:
        services.adjust(lot=source, counted=1, reason=" ")
    assert list(invalid.value.message_dict) == ["reason"]


def test_a_stocktake_cannot_count_below_what_is_reserved(depots, items, stock):
    city, sandbag = depots["XZ-CITY-01"], items["sandbag"]
    stock(city, sandbag, 10, days=None)
    services.request_dispatch(depot=city, item=sandbag, quantity=6)
    with pytest.raises(DomainRefusal):
        services.adjust(lot=lot(city, sandbag, "L1"), counted=5, reason="count")


def test_the_database_refuses_negative_stock_and_over_reservation(depots, items, stock):
    stock(depots["XZ-CITY-01"], items["sandbag"], 1, days=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Lot.objects.update(quantity=-1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Lot.objects.update(reserved=2)


def test_the_ledger_is_append_only(depots, items, stock):
    movement = stock(depots["XZ-CITY-01"], items["sandbag"], 1, days=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        Movement.objects.filter(pk=movement.pk).update(quantity=5)
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM inventory_movement")


def test_each_dispatch_step_is_announced_inside_its_transaction(depots, items, stock, make_incident):
    from django.db import connection

    incident = make_incident()
    city, sandbag = depots["XZ-CITY-01"], items["sandbag"]
    stock(city, sandbag, 10, days=None)
    heard = []

    def listen(sender, dispatch, step, actor, data, **kwargs):
        heard.append((step, data["incident"], data["quantity"], connection.in_atomic_block))

    signals.dispatch_changed.connect(listen)
    try:
        dispatch = services.request_dispatch(depot=city, item=sandbag, quantity=2, incident_id=incident)
        services.approve_dispatch(dispatch)
        services.cancel_dispatch(dispatch)
    finally:
        signals.dispatch_changed.disconnect(listen)
    assert heard == [
        ("requested", incident, 2.0, True),
        ("approved", incident, 2.0, True),
        ("cancelled", incident, 2.0, True),
    ]


def test_a_failing_listener_rolls_the_dispatch_step_back(depots, items, stock, make_incident):
    """One transaction for the step and what it announces: never the step without its entry."""
    incident = make_incident()
    city, sandbag = depots["XZ-CITY-01"], items["sandbag"]
    stock(city, sandbag, 10, days=None)
    dispatch = services.request_dispatch(depot=city, item=sandbag, quantity=2, incident_id=incident)

    def crash(**kwargs):
        raise RuntimeError("listener crashed")

    signals.dispatch_changed.connect(crash)
    try:
        with pytest.raises(RuntimeError):
            services.approve_dispatch(dispatch)
    finally:
        signals.dispatch_changed.disconnect(crash)
    dispatch.refresh_from_db()
    assert dispatch.status == "requested"


def test_a_depot_out_of_service_takes_no_dispatch_requests(depots, items, stock):
    city = depots["XZ-CITY-01"]
    stock(city, items["sandbag"], 10, days=None)
    services.save_depot(depot=city, active=False)
    with pytest.raises(ValidationError) as invalid:
        services.request_dispatch(depot=city, item=items["sandbag"], quantity=1)
    assert list(invalid.value.message_dict) == ["depot"]
