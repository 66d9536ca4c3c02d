"""Where a client written from the issue's words could reasonably guess differently from our
names: category words, the close body's field, unknown incident ids, and the two inventory
settings read from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from inventory import hooks, queries, services
from inventory.models import Depot, Dispatch, DispatchLot, Item, Lot, Movement
from tests.support.settings_probe import settings_in_fresh_process

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


# --- item categories and depot levels: the issue's own words ------------------------------


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("source cut-off", "source_cutoff"),
        ("source_cut_off", "source_cutoff"),
        ("Source Cut-Off", "source_cutoff"),
        ("source_cutoff", "source_cutoff"),
        ("containment", "containment"),
        ("collection", "collection"),
        ("degradation/treatment", "treatment"),
        ("Degradation / treatment", "treatment"),
        ("degradation_treatment", "treatment"),
        ("degradation", "treatment"),
        ("treatment", "treatment"),
        ("personal protection", "protection"),
        ("personal_protection", "protection"),
        ("protection", "protection"),
        ("communication/command", "communication"),
        ("communication_command", "communication"),
        ("Communication and command", "communication"),
        ("command", "communication"),
        ("communication", "communication"),
        ("monitoring", "monitoring"),
    ],
)
def test_each_of_the_issues_category_words_is_stored_as_the_code(api_for, duty_officer, given, code):
    body = {"code": "thing", "name": "物资", "category": given, "unit": "piece", "consumable": True}
    response = api_for(duty_officer).post("/api/items/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["category"] == code
    assert Item.objects.get(code="thing").category == code
    assert api_for(duty_officer).get(f"/api/items/{response.json()['id']}/").json()["category"] == code


@pytest.mark.parametrize("given", ["explosives", "source cut", "personal", "", "communication//command//x"])
def test_an_unknown_category_is_400_naming_the_field_and_writes_nothing(api_for, duty_officer, given):
    body = {"code": "thing", "name": "物资", "category": given, "unit": "piece", "consumable": True}
    response = api_for(duty_officer).post("/api/items/", body, format="json")
    assert response.status_code == 400
    assert "category" in response.json()
    assert not Item.objects.filter(code="thing").exists()


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("City", "city"),
        ("county level", "county"),
        ("enterprise", "enterprise"),
        ("social/contracted", "social"),
        ("Social / contracted", "social"),
        ("social-contracted", "social"),
        ("contracted", "social"),
    ],
)
def test_depot_levels_accept_the_issues_words(api_for, duty_officer, given, code):
    body = {"code": "XZ-NW-01", "name": "宁武县储备库", "level": given, "lon": 112.30, "lat": 39.00}
    response = api_for(duty_officer).post("/api/depots/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["properties"]["level"] == code
    assert Depot.objects.get(code="XZ-NW-01").level == code


def test_an_unknown_depot_level_is_400(api_for, duty_officer):
    body = {"code": "XZ-NW-01", "name": "宁武县储备库", "level": "province", "lon": 112.30, "lat": 39.00}
    response = api_for(duty_officer).post("/api/depots/", body, format="json")
    assert response.status_code == 400 and "level" in response.json()
    assert not Depot.objects.filter(code="XZ-NW-01").exists()


# --- closing a dispatch: the field of the quantity returned -------------------------------


@pytest.fixture
def delivered(api_for, duty_officer, depot_manager, depots, items, stock):
    """A dispatch of 5 sandbags, delivered (5 of the 10 on hand left the depot)."""
    stock(depots["XZ-CITY-01"], items["sandbag"], 10, days=None)
    dispatch = services.request_dispatch(depot=depots["XZ-CITY-01"], item=items["sandbag"], quantity=5)
    services.approve_dispatch(dispatch, actor=duty_officer)
    services.dispatch_stock(dispatch, actor=depot_manager)
    services.deliver_dispatch(dispatch, actor=depot_manager)
    return f"/api/dispatches/{dispatch.pk}/close/", dispatch, api_for(depot_manager)


def nothing_written_on(dispatch: Dispatch) -> None:
    dispatch.refresh_from_db()
    assert dispatch.status == Dispatch.Status.DELIVERED
    assert not Movement.objects.filter(dispatch=dispatch, kind__in=["return", "consume"]).exists()
    assert Lot.objects.get().quantity == 5
    assert all(row.returned == 0 for row in DispatchLot.objects.filter(dispatch=dispatch))


@pytest.mark.parametrize("key", ["returned_quantity", "returned", "quantity_returned"])
def test_close_reads_the_quantity_returned_under_each_name(delivered, key):
    url, dispatch, client = delivered
    response = client.post(url, {key: 2}, format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["status"], body["returned_quantity"], body["consumed_quantity"]) == ("closed", 2, 3)
    assert Lot.objects.get().quantity == 7  # 10 - 5 sent + 2 back
    returned = Movement.objects.get(dispatch=dispatch, kind="return")
    consumed = Movement.objects.get(dispatch=dispatch, kind="consume")
    assert (returned.quantity, returned.amount) == (2, 2)
    assert (consumed.quantity, consumed.amount) == (0, 3)  # amount = units consumed; no stock change
    assert queries.ledger_drift() == []


def test_close_with_an_empty_body_records_everything_consumed(delivered):
    url, dispatch, client = delivered
    body = client.post(url, {}, format="json").json()
    assert (body["status"], body["returned_quantity"], body["consumed_quantity"]) == ("closed", 0, 5)
    assert Movement.objects.get(dispatch=dispatch, kind="consume").amount == 5


def test_two_names_with_the_same_value_agree(delivered):
    url, _dispatch, client = delivered
    response = client.post(url, {"returned": 2, "returned_quantity": "2.000"}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["returned_quantity"] == 2


@pytest.mark.parametrize(
    "body",
    [
        {"returned": 2, "returned_quantity": 3},
        {"returned": 1, "quantity_returned": 4},
        {"returned_quantity": 0, "quantity_returned": 1},
    ],
)
def test_two_names_with_different_values_are_400_and_nothing_is_written(delivered, body):
    url, dispatch, client = delivered
    response = client.post(url, body, format="json")
    assert response.status_code == 400
    errors = response.json()
    assert "returned_quantity" in errors and all(key in errors for key in body)
    nothing_written_on(dispatch)


@pytest.mark.parametrize("body", [{"return": 2}, {"qty_returned": 2, "note": "x"}, {"quantity": 2}])
def test_a_body_with_no_recognised_key_is_400_naming_the_field(delivered, body):
    url, dispatch, client = delivered
    response = client.post(url, body, format="json")
    assert response.status_code == 400
    message = " ".join(response.json()["returned_quantity"])
    assert all(key in message for key in body)  # the keys not understood are named
    nothing_written_on(dispatch)


@pytest.mark.parametrize("key", ["returned_quantity", "returned", "quantity_returned"])
@pytest.mark.parametrize("value", [-1, 6, "lots"])
def test_negative_too_many_or_not_a_number_is_400_under_any_name(delivered, key, value):
    url, dispatch, client = delivered
    response = client.post(url, {key: value}, format="json")
    assert response.status_code == 400
    assert key in response.json() and "returned_quantity" in response.json()
    nothing_written_on(dispatch)


# --- dispatches and consumption for an incident that does not exist -----------------------


def test_incidents_registers_its_checker():
    assert "incidents" in hooks.incident_exists_checks
    assert hooks.incident_exists(None) is True


def test_a_dispatch_for_an_unknown_incident_is_400_and_reserves_nothing(api_for, duty_officer, depots, items, stock):
    stock(depots["XZ-CITY-01"], items["sandbag"], 10, days=None)
    body = {"incident": 987654, "depot": "XZ-CITY-01", "item": "sandbag", "quantity": 3}
    response = api_for(duty_officer).post("/api/dispatches/", body, format="json")
    assert response.status_code == 400
    assert list(response.json()) == ["incident"] and response.json()["incident"]
    assert not Dispatch.objects.exists()
    assert Lot.objects.get().reserved == 0
    assert Movement.objects.filter(kind="dispatch").count() == 0


def test_a_dispatch_for_a_real_incident_or_none_is_accepted(api_for, duty_officer, depots, items, stock, make_incident):
    stock(depots["XZ-CITY-01"], items["sandbag"], 10, days=None)
    client = api_for(duty_officer)
    for incident in (make_incident(), None):
        body = {"incident": incident, "depot": "XZ-CITY-01", "item": "sandbag", "quantity": 3}
        response = client.post("/api/dispatches/", body, format="json")
        assert response.status_code == 201, response.json()
        assert response.json()["incident"] == incident
    assert Lot.objects.get().reserved == 6


def test_a_consumption_for_an_unknown_incident_is_400_and_takes_nothing(api_for, depot_manager, depots, items, stock):
    lot = stock(depots["XZ-CITY-01"], items["sandbag"], 10, days=None).lot
    body = {"quantity": 2, "reason": "spill", "incident": 987654}
    response = api_for(depot_manager).post(f"/api/lots/{lot.pk}/consume/", body, format="json")
    assert response.status_code == 400 and "incident" in response.json()
    assert Lot.objects.get().quantity == 10
    assert not Movement.objects.filter(kind="consume").exists()


def test_without_a_checker_any_incident_id_is_accepted(monkeypatch, depots, items, stock):
    stock(depots["XZ-CITY-01"], items["sandbag"], 10, days=None)
    monkeypatch.setattr(hooks, "incident_exists_checks", {})
    dispatch = services.request_dispatch(
        depot=depots["XZ-CITY-01"], item=items["sandbag"], quantity=1, incident_id=987654
    )
    assert dispatch.incident_id == 987654 and Lot.objects.get().reserved == 1


# --- settings from the environment ---------------------------------------------------------


NAMES = ["INVENTORY_ROAD_SPEED_KMH", "INVENTORY_EXPIRY_WARNING_DAYS"]


def read_settings(**env) -> list[str]:
    # The settings and what the queries actually use.
    seen = settings_in_fresh_process(
        NAMES,
        env,
        prelude="from inventory import queries",
        expressions={"speed": "queries.road_speed_kmh()", "days": "queries.expiry_warning_days()"},
    )
    return [str(seen[NAMES[0]]), str(seen[NAMES[1]]), str(seen["speed"]), str(seen["days"])]


def test_the_inventory_settings_default_to_40_kmh_and_30_days():
    assert read_settings() == ["40.0", "30", "40.0", "30"]


def test_the_inventory_settings_come_from_the_environment():
    assert read_settings(INVENTORY_ROAD_SPEED_KMH="55.5", INVENTORY_EXPIRY_WARNING_DAYS="12") == [
        "55.5",
        "12",
        "55.5",
        "12",
    ]


def test_the_settings_are_in_env_example():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert "INVENTORY_ROAD_SPEED_KMH=40" in example
    assert "INVENTORY_EXPIRY_WARNING_DAYS=30" in example


def test_the_road_speed_setting_drives_road_minutes(settings, api_for, viewer, depots, items, stock):
    stock(depots["XZ-CITY-01"], items["pac"], 5, days=100)
    query = {"lon": 112.75, "lat": 38.45, "item": "pac"}
    settings.INVENTORY_ROAD_SPEED_KMH = 30
    slow = api_for(viewer).get("/api/depots/nearest/", query).json()[0]
    settings.INVENTORY_ROAD_SPEED_KMH = 60
    fast = api_for(viewer).get("/api/depots/nearest/", query).json()[0]
    assert slow["road_minutes"] == pytest.approx(slow["distance_m"] / (30_000 / 60), abs=0.06)
    assert fast["road_minutes"] == pytest.approx(slow["road_minutes"] / 2, abs=0.06)


def test_the_warning_days_setting_decides_what_is_expiring(settings, depots, items, stock):
    stock(depots["XZ-CITY-01"], items["pac"], 5, lot="soon", days=20)
    settings.INVENTORY_EXPIRY_WARNING_DAYS = 10
    assert queries.stock_alerts()["expiring"] == []
    settings.INVENTORY_EXPIRY_WARNING_DAYS = 25
    assert [e["lot"] for e in queries.stock_alerts()["expiring"]] == ["soon"]
    assert queries.stock_alerts()["warning_days"] == 25
