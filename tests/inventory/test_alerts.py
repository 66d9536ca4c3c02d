"""Low-stock and expiry alerts: computed by a service, run daily by a Celery task, announced."""

from __future__ import annotations

import pytest
from django.test import override_settings

from inventory import queries, services, signals, tasks

pytestmark = pytest.mark.django_db


def test_it_finds_items_below_minimum_counting_only_usable_unreserved_units(depots, items, stock):
    city, pac = depots["XZ-CITY-01"], items["pac"]
    stock(city, pac, 4, lot="ok", days=100)
    stock(city, pac, 10, lot="old", days=-5)
    services.set_minimum(depot=city, item=pac, minimum=5)
    services.set_minimum(depot=city, item=items["sandbag"], minimum=0)

    low = queries.stock_alerts()["low_stock"]

    assert [(a["depot"], a["item"], a["available"], a["minimum"]) for a in low] == [("XZ-CITY-01", "pac", 4, 5)]


@override_settings(INVENTORY_EXPIRY_WARNING_DAYS=10)
def test_it_warns_of_lots_expiring_within_the_configured_days(depots, items, stock):
    city, pac = depots["XZ-CITY-01"], items["pac"]
    stock(city, pac, 1, lot="in-9", days=9)
    stock(city, pac, 1, lot="in-11", days=11)
    stock(city, pac, 1, lot="gone", days=-1)

    alerts = queries.stock_alerts()

    assert [a["lot"] for a in alerts["expiring"]] == ["in-9"]
    assert [a["lot"] for a in alerts["expired"]] == ["gone"]
    assert alerts["warning_days"] == 10


def test_the_daily_task_announces_the_digest(depots, items, stock):
    stock(depots["XZ-CITY-01"], items["pac"], 1, lot="soon", days=3)
    heard = []

    def listen(sender, digest, on, **kwargs):
        heard.append(digest)

    signals.stock_alerts_computed.connect(listen)
    try:
        counts = tasks.compute_stock_alerts.apply().get()
    finally:
        signals.stock_alerts_computed.disconnect(listen)
    assert counts == {"low_stock": 0, "expiring": 1, "expired": 0}
    assert heard[0]["expiring"][0]["lot"] == "soon"
