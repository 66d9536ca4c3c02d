"""The inventory REST contract: bodies by code, GeoJSON depots, status codes, permissions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from inventory.models import Depot, Lot, Movement

from .geodesy import vincenty_m

pytestmark = pytest.mark.django_db


def in_days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def test_a_depot_needs_only_code_name_level_and_location(api_for, duty_officer):
    body = {
        "code": "XZ-NW-01",
        "name": "宁武县储备库",
        "level": "county",
        "location": {"type": "Point", "coordinates": [112.30, 39.00]},
    }
    response = api_for(duty_officer).post("/api/depots/", body, format="json")
    assert response.status_code == 201, response.json()
    feature = response.json()
    assert feature["type"] == "Feature" and feature["id"] == Depot.objects.get().pk
    assert feature["geometry"]["coordinates"] == [112.30, 39.00]
    assert feature["properties"]["code"] == "XZ-NW-01"


def test_depots_are_a_geojson_feature_collection(api_for, viewer, depots):
    body = api_for(viewer).get("/api/depots/").json()
    assert body["type"] == "FeatureCollection" and body["count"] == 4
    assert {f["properties"]["code"] for f in body["features"]} == set(depots)


def test_a_viewer_cannot_create_a_depot(api_for, viewer):
    body = {"code": "X", "name": "X", "level": "city", "location": {"type": "Point", "coordinates": [112, 38]}}
    assert api_for(viewer).post("/api/depots/", body, format="json").status_code == 403


def test_items_list_and_create(api_for, duty_officer, items):
    client = api_for(duty_officer)
    assert client.get("/api/items/").json()["count"] == 3
    body = {"code": "boom", "name": "围油栏", "category": "containment", "unit": "m", "consumable": False}
    response = client.post("/api/items/", body, format="json")
    assert response.status_code == 201 and response.json()["shelf_life_days"] is None


def test_a_receipt_creates_a_lot_and_a_receive_movement(api_for, depot_manager, depots, items):
    body = {"depot": "XZ-CITY-01", "item": "pac", "quantity": "2.5", "lot": "PAC-2026-11", "expires_on": in_days(700)}
    response = api_for(depot_manager).post("/api/receipts/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["kind"] == "receive" and response.json()["quantity"] == 2.5
    assert Lot.objects.get(code="PAC-2026-11").quantity == 2.5


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"quantity": -1}, "quantity"),
        ({"quantity": 0}, "quantity"),
        ({"quantity": "lots"}, "quantity"),
        ({"depot": "NOWHERE"}, "depot"),
        ({"item": "unobtainium"}, "item"),
        ({"expires_on": None}, "expires_on"),
        ({"expires_on": "soon"}, "expires_on"),
    ],
)
def test_a_bad_receipt_is_400_naming_the_field_and_writes_nothing(api_for, duty_officer, depots, items, change, field):
    body = {"depot": "XZ-CITY-01", "item": "pac", "quantity": 1, "lot": "A", "expires_on": in_days(10), **change}
    response = api_for(duty_officer).post("/api/receipts/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert not Movement.objects.exists() and not Lot.objects.exists()


def test_a_viewer_cannot_receive_or_dispatch(api_for, viewer, depots, items, stock):
    stock(depots["XZ-CITY-01"], items["sandbag"], 10, days=None)
    client = api_for(viewer)
    receipt = {"depot": "XZ-CITY-01", "item": "sandbag", "quantity": 1}
    assert client.post("/api/receipts/", receipt, format="json").status_code == 403
    request = {"incident": None, "depot": "XZ-CITY-01", "item": "sandbag", "quantity": 1}
    assert client.post("/api/dispatches/", request, format="json").status_code == 403
    assert Lot.objects.get().reserved == 0


def test_a_depot_manager_acts_only_on_their_own_depots(api_for, depot_manager, depots, items):
    client = api_for(depot_manager)
    own = {"depot": "XZ-CITY-01", "item": "sandbag", "quantity": 3}
    other = {**own, "depot": "XZ-YP-01"}
    assert client.post("/api/receipts/", own, format="json").status_code == 201
    assert client.post("/api/receipts/", other, format="json").status_code == 403


def test_a_dispatch_through_the_api(api_for, duty_officer, depot_manager, depots, items, stock, make_incident):
    incident = make_incident()
    city = depots["XZ-CITY-01"]
    stock(city, items["pac"], 3, lot="late", days=300)
    stock(city, items["pac"], 3, lot="early", days=20)
    officer, manager = api_for(duty_officer), api_for(depot_manager)

    response = officer.post(
        "/api/dispatches/", {"incident": incident, "depot": "XZ-CITY-01", "item": "pac", "quantity": 4}
    )
    assert response.status_code == 201, response.json()
    dispatch = response.json()
    assert dispatch["status"] == "requested" and dispatch["incident"] == incident
    assert [(x["lot"], x["quantity"]) for x in dispatch["lots"]] == [("early", 3), ("late", 1)]
    url = f"/api/dispatches/{dispatch['id']}"

    assert officer.post(f"{url}/approve/").json()["status"] == "approved"
    assert officer.post(f"{url}/dispatch/").status_code == 403  # the depot sends its stock out
    assert manager.post(f"{url}/dispatch/").json()["status"] == "dispatched"
    assert officer.post(f"{url}/cancel/").status_code == 409
    assert officer.post(f"{url}/deliver/").json()["status"] == "delivered"
    closed = manager.post(f"{url}/close/", {"returned_quantity": 1.5}, format="json").json()
    assert (closed["status"], closed["returned_quantity"], closed["consumed_quantity"]) == ("closed", 1.5, 2.5)

    ledger = officer.get("/api/movements/", {"incident": incident}).json()
    assert sorted(m["kind"] for m in ledger["results"]) == ["consume", "dispatch", "dispatch", "return", "return"]
    lots = officer.get("/api/lots/", {"depot": "XZ-CITY-01"}).json()["results"]
    every_line = officer.get("/api/movements/", {"depot": "XZ-CITY-01"}).json()["results"]
    for lot in lots:  # the stock on hand is the sum of the ledger
        assert lot["quantity"] == pytest.approx(sum(m["quantity"] for m in every_line if m["lot_id"] == lot["id"]))
    assert sum(lot["quantity"] for lot in lots) == 3.5
    consumed = [m for m in every_line if m["kind"] == "consume"]
    assert [(m["quantity"], m["amount"]) for m in consumed] == [(0, 2.5)]


def test_the_ledger_is_read_only_over_the_api(api_for, duty_officer, depots, items, stock):
    movement = stock(depots["XZ-CITY-01"], items["sandbag"], 5, days=None)
    client = api_for(duty_officer)
    assert client.post("/api/movements/", {}, format="json").status_code == 405
    assert client.patch(f"/api/movements/{movement.pk}/", {"quantity": 9}, format="json").status_code in (403, 405)
    assert client.delete(f"/api/movements/{movement.pk}/").status_code in (403, 405)


def test_a_shortage_is_409_with_the_available_quantity(api_for, duty_officer, depots, items, stock):
    stock(depots["XZ-CITY-01"], items["sandbag"], 5, days=None)
    body = {"incident": None, "depot": "XZ-CITY-01", "item": "sandbag", "quantity": 6}
    response = api_for(duty_officer).post("/api/dispatches/", body, format="json")
    assert response.status_code == 409
    assert response.json()["available"] == 5 and response.json()["error"]


def test_cancel_releases_the_reservation(api_for, duty_officer, depots, items, stock):
    stock(depots["XZ-CITY-01"], items["sandbag"], 5, days=None)
    client = api_for(duty_officer)
    body = {"depot": "XZ-CITY-01", "item": "sandbag", "quantity": 5}
    first = client.post("/api/dispatches/", body, format="json").json()
    assert client.post("/api/dispatches/", body, format="json").status_code == 409
    assert client.post(f"/api/dispatches/{first['id']}/cancel/").json()["status"] == "cancelled"
    assert client.post("/api/dispatches/", body, format="json").status_code == 201


@override_settings(INVENTORY_ROAD_SPEED_KMH=60)
def test_nearest_depots_full_first_then_partial_each_by_distance(api_for, viewer, depots, items, stock):
    pac = items["pac"]
    stock(depots["XZ-CITY-01"], pac, 3, days=100)  # nearest, but partial
    stock(depots["XZ-DXG-01"], pac, 20, days=100)
    stock(depots["XZ-YP-01"], pac, 10, days=100)
    stock(depots["XZ-DX-01"], pac, 50, days=-3)  # expired only: not listed
    lon, lat = 112.75, 38.45

    response = api_for(viewer).get("/api/depots/nearest/", {"lon": lon, "lat": lat, "item": "pac", "quantity": 5})
    assert response.status_code == 200
    rows = response.json()

    assert [r["depot"] for r in rows] == ["XZ-DXG-01", "XZ-YP-01", "XZ-CITY-01"]
    assert [r["partial"] for r in rows] == [False, False, True]
    for row in rows:
        depot = depots[row["depot"]]
        expected = vincenty_m(lon, lat, depot.location.x, depot.location.y)
        assert row["distance_m"] == pytest.approx(expected, abs=1.0)
        assert row["road_minutes"] == pytest.approx(expected / 1000 / 60 * 60, abs=0.1)
        assert row["location"] == {"type": "Point", "coordinates": [depot.location.x, depot.location.y]}
    assert rows[0]["available"] == 20 and rows[2]["available"] == 3


def test_nearest_depots_count_only_unreserved_units(api_for, duty_officer, depots, items, stock):
    stock(depots["XZ-CITY-01"], items["sandbag"], 10, days=None)
    client = api_for(duty_officer)
    client.post("/api/dispatches/", {"depot": "XZ-CITY-01", "item": "sandbag", "quantity": 10}, format="json")
    assert client.get("/api/depots/nearest/", {"lon": 112.7, "lat": 38.4, "item": "sandbag"}).json() == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"lat": 38.4, "item": "pac"}, "lon"),
        ({"lon": "east", "lat": 38.4, "item": "pac"}, "lon"),
        ({"lon": 112.7, "lat": 95, "item": "pac"}, "lat"),
        ({"lon": 112.7, "lat": 38.4, "item": "nothing"}, "item"),
        ({"lon": 112.7, "lat": 38.4, "item": "pac", "quantity": -2}, "quantity"),
    ],
)
def test_nearest_depots_bad_query_is_400(api_for, viewer, items, params, field):
    response = api_for(viewer).get("/api/depots/nearest/", params)
    assert response.status_code == 400 and field in response.json()


def test_depot_detail_is_not_shadowed_by_nearest(api_for, viewer, depots):
    depot = depots["XZ-YP-01"]
    assert api_for(viewer).get(f"/api/depots/{depot.pk}/").json()["properties"]["code"] == "XZ-YP-01"


def test_anonymous_requests_are_refused(client):
    assert client.get("/api/depots/").status_code in (401, 403)
    assert client.get("/api/depots/nearest/?lon=1&lat=1&item=x").status_code in (401, 403)


def test_a_depot_manager_edits_only_their_own_depot(api_for, depot_manager, depots):
    client = api_for(depot_manager)
    own, other = depots["XZ-CITY-01"], depots["XZ-YP-01"]
    response = client.patch(f"/api/depots/{own.pk}/", {"opening_hours": "08:00-20:00"}, format="json")
    assert response.status_code == 200 and response.json()["properties"]["opening_hours"] == "08:00-20:00"
    assert client.patch(f"/api/depots/{other.pk}/", {"is_24h": True}, format="json").status_code == 403


def test_a_depot_can_be_posted_with_lon_and_lat_or_wkt(api_for, duty_officer):
    client = api_for(duty_officer)
    flat = {"code": "A-1", "name": "A", "level": "social", "lon": 112.1, "lat": 38.9}
    assert client.post("/api/depots/", flat, format="json").status_code == 201
    wkt = {"code": "A-2", "name": "B", "level": "enterprise", "location": "POINT (112.2 38.8)"}
    assert client.post("/api/depots/", wkt, format="json").json()["geometry"]["coordinates"] == [112.2, 38.8]
    missing = client.post("/api/depots/", {"code": "A-3", "name": "C", "level": "city"}, format="json")
    assert missing.status_code == 400 and "location" in missing.json()


def test_the_duty_office_binds_depot_managers(api_for, duty_officer, depot_manager, depots, items):
    other = depots["XZ-YP-01"]
    body = {"managers": ["depot"]}
    assert (
        api_for(depot_manager).patch(f"/api/depots/{depots['XZ-CITY-01'].pk}/", body, format="json").status_code == 403
    )
    response = api_for(duty_officer).patch(f"/api/depots/{other.pk}/", body, format="json")
    assert response.status_code == 200 and response.json()["properties"]["managers"] == ["depot"]
    receipt = {"depot": "XZ-YP-01", "item": "sandbag", "quantity": 1}
    assert api_for(depot_manager).post("/api/receipts/", receipt, format="json").status_code == 201


def test_lots_filter_by_depot_item_and_stock(api_for, viewer, depots, items, stock):
    stock(depots["XZ-CITY-01"], items["pac"], 2, lot="A", days=5)
    stock(depots["XZ-YP-01"], items["pac"], 2, lot="B", days=-5)
    client = api_for(viewer)
    rows = client.get("/api/lots/", {"item": "pac", "in_stock": "true"}).json()["results"]
    assert {(r["depot"], r["lot"], r["expired"], r["available"]) for r in rows} == {
        ("XZ-CITY-01", "A", False, 2),
        ("XZ-YP-01", "B", True, 2),
    }
    assert client.get("/api/lots/", {"depot": "XZ-YP-01"}).json()["count"] == 1
