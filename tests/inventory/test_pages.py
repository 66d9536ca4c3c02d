"""The inventory pages render for every signed-in role, and the stocktake records adjustments."""

from __future__ import annotations

import pytest

from inventory import services
from inventory.models import Lot, Movement

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(depots, items, stock):
    city = depots["XZ-CITY-01"]
    stock(city, items["pac"], 6, lot="PAC-A", days=10)
    stock(city, items["pac"], 4, lot="PAC-OLD", days=-2)
    stock(city, items["sandbag"], 100, lot="SB-1", days=None)
    services.set_minimum(depot=city, item=items["sandbag"], minimum=500)
    return city


@pytest.mark.parametrize(
    "url", ["/inventory/", "/inventory/map/", "/inventory/items/", "/inventory/items/pac/", "/inventory/ledger/"]
)
def test_a_viewer_sees_the_pages(client, viewer, stocked, url):
    client.force_login(viewer)
    response = client.get(url)
    assert response.status_code == 200


def test_the_dashboard_shows_low_stock_and_expiry(client, viewer, stocked):
    client.force_login(viewer)
    page = client.get("/inventory/").content.decode()
    assert "PAC-A" in page and "PAC-OLD" in page and "忻州市环境应急物资储备库" in page


def test_the_map_uses_the_bundled_leaflet_and_embeds_summaries(client, viewer, stocked):
    client.force_login(viewer)
    page = client.get("/inventory/map/").content.decode()
    assert "leaflet/leaflet" in page and "inventory/map.js" in page and "http" not in page.split("depot-data")[0][-200:]
    assert '"item": "pac"' in page and '"available": 6.0' in page


def test_the_depot_page_groups_stock_by_category_and_lot(client, viewer, stocked):
    client.force_login(viewer)
    page = client.get("/inventory/depots/XZ-CITY-01/").content.decode()
    assert 'data-testid="category-treatment"' in page and 'data-testid="category-source_cutoff"' in page
    assert "PAC-OLD" in page and "stocktake-link" not in page


def test_the_ledger_filters(client, viewer, stocked):
    client.force_login(viewer)
    page = client.get("/inventory/ledger/", {"item": "sandbag", "kind": "receive"}).content.decode()
    assert "SB-1" in page and "PAC-A" not in page


def test_a_depot_manager_records_a_stocktake(client, depot_manager, stocked):
    client.force_login(depot_manager)
    lot = Lot.objects.get(code="SB-1")
    assert "stocktake-link" in client.get("/inventory/depots/XZ-CITY-01/").content.decode()
    response = client.post(
        "/inventory/depots/XZ-CITY-01/stocktake/", {f"lot_{lot.pk}": "97", "reason": "quarterly count"}
    )
    assert response.status_code == 302
    adjustment = Movement.objects.get(kind="adjust")
    assert (adjustment.quantity, adjustment.reason, adjustment.actor) == (-3, "quarterly count", depot_manager)


def test_a_bad_stocktake_line_writes_nothing(client, depot_manager, stocked, items):
    client.force_login(depot_manager)
    sandbags, pac = Lot.objects.get(code="SB-1"), Lot.objects.get(code="PAC-A")
    services.request_dispatch(depot=stocked, item=items["pac"], quantity=5)
    body = {f"lot_{sandbags.pk}": "90", f"lot_{pac.pk}": "1", "reason": "count"}  # 1 < 5 reserved
    response = client.post("/inventory/depots/XZ-CITY-01/stocktake/", body)
    assert response.status_code == 200
    assert not Movement.objects.filter(kind="adjust").exists()
    assert Lot.objects.get(code="SB-1").quantity == 100


def test_a_viewer_cannot_take_stock(client, viewer, stocked):
    client.force_login(viewer)
    assert client.get("/inventory/depots/XZ-CITY-01/stocktake/").status_code == 403


def test_a_manager_of_another_depot_cannot_take_stock_here(client, depot_manager, depots, stocked):
    client.force_login(depot_manager)
    assert client.get("/inventory/depots/XZ-YP-01/stocktake/").status_code == 403
