"""The admin edits depots (Leaflet widget) through the services; stock is read-only there."""

from __future__ import annotations

import pytest

from inventory.models import Depot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["depot", "item", "lot", "movement", "dispatch", "stockminimum"])
def test_admin_lists_render(client, admin_user, depots, items, stock, model):
    stock(depots["XZ-CITY-01"], items["sandbag"], 5, days=None)
    client.force_login(admin_user)
    assert client.get(f"/admin/inventory/{model}/").status_code == 200


def test_admin_creates_a_depot_with_its_managers(client, admin_user, depot_manager):
    client.force_login(admin_user)
    assert "leaflet" in client.get("/admin/inventory/depot/add/").content.decode()
    body = {
        "code": "XZ-HQ-01",
        "name": "河曲县储备库",
        "level": "county",
        "location": '{"type": "Point", "coordinates": [111.14, 39.38]}',
        "managers": [depot_manager.pk],
        "active": "on",
    }
    response = client.post("/admin/inventory/depot/add/", body)
    assert response.status_code == 302, response.content.decode()[:2000]
    depot = Depot.objects.get(code="XZ-HQ-01")
    assert list(depot.managers.all()) == [depot_manager]
    assert (round(depot.location.x, 2), round(depot.location.y, 2)) == (111.14, 39.38)
