"""Stock never goes negative under real concurrent transactions (threads, each with its own
database connection, against PostGIS): the row locks and CHECK constraints decide, not Python."""

from __future__ import annotations

import threading
from collections import Counter
from decimal import Decimal

import pytest
from django.db import connection

from inventory import queries, services
from inventory.models import Dispatch, Lot

pytestmark = pytest.mark.django_db(transaction=True)


def run_together(count: int, work) -> list:
    """Start `count` threads at the same instant; each runs work(i) and closes its connection."""
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def run(i):
        try:
            barrier.wait(timeout=10)
            results[i] = work(i)
        except Exception as exc:
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_twenty_simultaneous_requests_for_one_unit_against_ten(
    api_for, duty_officer, depots, items, stock, make_incident
):
    stock(depots["XZ-CITY-01"], items["sandbag"], 10, days=None)
    client = api_for(duty_officer)
    body = {"incident": make_incident(), "depot": "XZ-CITY-01", "item": "sandbag", "quantity": 1}

    responses = run_together(20, lambda i: client.post("/api/dispatches/", body, format="json"))

    assert Counter(r.status_code for r in responses) == {201: 10, 409: 10}
    for refused in (r for r in responses if r.status_code == 409):
        assert refused.json()["available"] == 0 and refused.json()["error"]
    lot = Lot.objects.get()
    assert (lot.quantity, lot.reserved) == (10, 10)
    assert Dispatch.objects.count() == 10
    assert queries.ledger_drift() == []


def test_concurrent_multi_lot_dispatches_never_overdraw_or_deadlock(depots, items, stock):
    city, pac = depots["XZ-CITY-01"], items["pac"]
    for n, days in enumerate([10, 40, 90, 200]):
        stock(city, pac, 5, lot=f"L{n}", days=days)

    def request_and_ship(i):
        dispatch = services.request_dispatch(depot=city, item=pac, quantity=Decimal("3"))
        services.approve_dispatch(dispatch)
        if i % 2:
            return services.dispatch_stock(dispatch).status
        return services.cancel_dispatch(dispatch).status

    results = run_together(16, request_and_ship)

    outcomes = Counter(r if isinstance(r, str) else type(r).__name__ for r in results)
    assert set(outcomes) <= {"dispatched", "cancelled", "DomainRefusal"}
    lots = list(Lot.objects.filter(item=pac))
    assert all(0 <= lot.reserved <= lot.quantity for lot in lots)
    assert sum(lot.quantity for lot in lots) == 20 - 3 * outcomes["dispatched"]
    assert sum(lot.reserved for lot in lots) == 0
    assert queries.ledger_drift() == []
