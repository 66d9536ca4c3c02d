"""The demo data loads, twice, and shows what the dashboard is for."""

from __future__ import annotations

import pytest

from backend.directory import demo as directory_demo
from inventory import demo, queries
from inventory.models import Depot, Item, Lot, Movement

pytestmark = pytest.mark.django_db


def test_the_demo_loads_idempotently_with_alerts_to_show():
    directory_demo.load()
    demo.load()
    counts = (Item.objects.count(), Depot.objects.count(), Lot.objects.count(), Movement.objects.count())
    demo.load()
    assert (Item.objects.count(), Depot.objects.count(), Lot.objects.count(), Movement.objects.count()) == counts

    city = Depot.objects.get(code="XZ-CITY-01")
    assert city.managers.filter(username="depot").exists()
    assert city.manager.user.username == "depot"
    assert Depot.objects.filter(level="enterprise").count() == 2
    alerts = queries.stock_alerts()
    assert [(a["depot"], a["item"]) for a in alerts["low_stock"]] == [("XZ-CITY-01", "pam")]
    assert len(alerts["expiring"]) >= 3
    assert queries.ledger_drift() == []
    # Every depot lies in Xinzhou (roughly 110.9–114.0 E, 38.1–39.7 N).
    assert all(110.9 < d.location.x < 114.0 and 38.1 < d.location.y < 39.7 for d in Depot.objects.all())
