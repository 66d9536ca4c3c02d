"""Lot actions (write off, consume, transfer) through the API and the depot page: the ledger
moves exactly once on success and not at all on any refusal."""

from __future__ import annotations

import pytest
from django.conf import settings

from backend.directory import roles
from inventory import services
from inventory.models import Lot, Movement

pytestmark = pytest.mark.django_db

CITY, YUANPING = "XZ-CITY-01", "XZ-YP-01"


@pytest.fixture
def lot(depots, items, stock):
    """20 sandbags in lot SB-1 at the city depot (no expiry)."""
    stock(depots[CITY], items["sandbag"], 20, lot="SB-1", days=None)
    return Lot.objects.get(code="SB-1")


@pytest.fixture
def yuanping_manager(make_user, depots):
    user = make_user(roles.DEPOT_MANAGER, username="depot-yp")
    depots[YUANPING].managers.add(user)
    return user


def url(lot, action: str) -> str:
    return f"/api/lots/{lot.pk}/{action}/"


def page_url(lot, action: str) -> str:
    return f"/inventory/lots/{lot.pk}/{action}/"


def on_hand(lot) -> float:
    return float(Lot.objects.get(pk=lot.pk).quantity)


# --- API: the happy paths -------------------------------------------------------------------


def test_a_depot_manager_writes_off_units_of_a_lot(api_for, depot_manager, lot):
    response = api_for(depot_manager).post(url(lot, "write-off"), {"quantity": 3, "reason": "rotten"}, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["quantity"], body["amount"]) == ("write_off", -3, 3)
    assert (body["lot"], body["depot"], body["actor"], body["reason"]) == ("SB-1", CITY, "depot", "rotten")
    assert (body["on_hand"], body["available"]) == (17, 17)
    assert on_hand(lot) == 17
    movement = Movement.objects.get(kind="write_off")
    assert (movement.pk, movement.lot_id, movement.quantity) == (body["id"], lot.pk, -3)


def test_a_depot_manager_records_consumption_for_an_incident(api_for, depot_manager, lot, make_incident):
    incident = make_incident()
    body = {"quantity": "2.5", "reason": "spill at the bridge", "incident": incident}
    response = api_for(depot_manager).post(url(lot, "consume"), body, format="json")
    assert response.status_code == 201, response.json()
    assert (response.json()["kind"], response.json()["quantity"], response.json()["incident"]) == (
        "consume",
        -2.5,
        incident,
    )
    assert on_hand(lot) == 17.5
    assert Movement.objects.get(kind="consume").incident_id == incident


def test_consumption_without_an_incident(api_for, duty_officer, lot):
    response = api_for(duty_officer).post(
        url(lot, "consume"), {"quantity": 1, "reason": "training", "incident": None}, format="json"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["incident"] is None
    assert Movement.objects.get(kind="consume").incident_id is None


def test_a_transfer_answers_both_movements_and_moves_the_lot(api_for, depot_manager, lot):
    body = {"to_depot": YUANPING, "quantity": 5, "reason": "rebalance"}
    response = api_for(depot_manager).post(url(lot, "transfer"), body, format="json")
    assert response.status_code == 201, response.json()
    out, into = response.json()["out"], response.json()["into"]
    assert (out["depot"], out["quantity"], out["counterpart_depot"], out["on_hand"]) == (CITY, -5, YUANPING, 15)
    assert (into["depot"], into["quantity"], into["counterpart_depot"], into["on_hand"]) == (YUANPING, 5, CITY, 5)
    assert out["lot"] == into["lot"] == "SB-1" and into["lot_id"] != lot.pk
    assert on_hand(lot) == 15
    assert float(Lot.objects.get(depot__code=YUANPING, code="SB-1").quantity) == 5
    assert Movement.objects.filter(kind="transfer").count() == 2


# --- API: refusals write nothing --------------------------------------------------------------


@pytest.mark.parametrize("action", ["write-off", "consume", "transfer"])
@pytest.mark.parametrize("quantity", [-1, 0, "lots", "", None, "1.0001"])
def test_a_bad_quantity_is_400_naming_it(api_for, depot_manager, lot, action, quantity):
    before = Movement.objects.count()
    body = {"quantity": quantity, "reason": "x", "to_depot": YUANPING}
    response = api_for(depot_manager).post(url(lot, action), body, format="json")
    assert response.status_code == 400
    assert "quantity" in response.json()
    assert Movement.objects.count() == before and on_hand(lot) == 20


@pytest.mark.parametrize("action", ["write-off", "consume"])
@pytest.mark.parametrize("reason", ["", None, "   "])
def test_a_write_off_or_consumption_needs_a_reason(api_for, depot_manager, lot, action, reason):
    before = Movement.objects.count()
    response = api_for(depot_manager).post(url(lot, action), {"quantity": 1, "reason": reason}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    assert Movement.objects.count() == before


@pytest.mark.parametrize("action", ["write-off", "consume", "transfer"])
def test_more_than_available_is_409_with_what_is_available(api_for, depot_manager, lot, items, action):
    services.request_dispatch(depot=lot.depot, item=items["sandbag"], quantity=4)  # 16 left unreserved
    before = Movement.objects.count()
    body = {"quantity": 17, "reason": "x", "to_depot": YUANPING}
    response = api_for(depot_manager).post(url(lot, action), body, format="json")
    assert response.status_code == 409
    assert response.json()["available"] == 16 and response.json()["error"]
    assert Movement.objects.count() == before and on_hand(lot) == 20
    # The transfer's target lot is created inside the refused transaction: it is gone too.
    assert not Lot.objects.filter(depot__code=YUANPING).exists()


@pytest.mark.parametrize("to_depot", ["NOWHERE", "", None, CITY])
def test_a_transfer_needs_another_known_depot(api_for, depot_manager, lot, to_depot):
    before = Movement.objects.count()
    response = api_for(depot_manager).post(url(lot, "transfer"), {"to_depot": to_depot, "quantity": 1}, format="json")
    assert response.status_code == 400
    assert "to_depot" in response.json()
    assert Movement.objects.count() == before and Lot.objects.count() == 1


def test_a_transfer_into_a_depot_out_of_service_is_refused(api_for, depot_manager, lot):
    from inventory.models import Depot

    Depot.objects.filter(code=YUANPING).update(active=False)
    before = Movement.objects.count()
    response = api_for(depot_manager).post(url(lot, "transfer"), {"to_depot": YUANPING, "quantity": 1}, format="json")
    assert response.status_code == 400
    assert "to_depot" in response.json()
    assert Movement.objects.count() == before and Lot.objects.count() == 1


def test_a_consumption_incident_must_be_an_id(api_for, depot_manager, lot):
    body = {"quantity": 1, "reason": "x", "incident": "yesterday"}
    response = api_for(depot_manager).post(url(lot, "consume"), body, format="json")
    assert response.status_code == 400 and "incident" in response.json()
    assert not Movement.objects.filter(kind="consume").exists()


@pytest.mark.parametrize("action", ["write-off", "consume", "transfer"])
def test_a_manager_of_another_depot_is_refused(api_for, yuanping_manager, lot, action):
    before = Movement.objects.count()
    body = {"quantity": 1, "reason": "x", "to_depot": YUANPING}
    response = api_for(yuanping_manager).post(url(lot, action), body, format="json")
    assert response.status_code == 403
    assert "自己管理的物资库" in response.json()["detail"]  # translated (issue 16 item 9)
    assert Movement.objects.count() == before and on_hand(lot) == 20


@pytest.mark.parametrize("persona", ["viewer", "fire_liaison"])
def test_roles_without_stock_rights_are_refused(api_for, request, lot, persona):
    user = request.getfixturevalue(persona)
    before = Movement.objects.count()
    response = api_for(user).post(url(lot, "write-off"), {"quantity": 1, "reason": "x"}, format="json")
    assert response.status_code == 403
    assert "不能报废" in response.json()["detail"]
    assert Movement.objects.count() == before


def test_a_refusal_for_permission_comes_before_validation(api_for, yuanping_manager, lot):
    # An outsider learns nothing about the lot from validation messages.
    response = api_for(yuanping_manager).post(url(lot, "transfer"), {"to_depot": "NOWHERE"}, format="json")
    assert response.status_code == 403


def test_an_anonymous_client_is_refused(client, lot):
    response = client.post(url(lot, "write-off"), {"quantity": 1, "reason": "x"}, content_type="application/json")
    assert response.status_code in (401, 403)
    assert not Movement.objects.filter(kind="write_off").exists()


def test_an_unknown_lot_is_404(api_for, depot_manager, lot):
    response = api_for(depot_manager).post("/api/lots/999999/write-off/", {"quantity": 1, "reason": "x"})
    assert response.status_code == 404


def test_the_lot_actions_are_in_the_schema():
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for action in ["write-off", "consume", "transfer"]:
        post = paths[f"/api/lots/{{id}}/{action}/"]["post"]
        assert {"201", "400", "403", "409"} <= set(post["responses"]), action
    transfer = paths["/api/lots/{id}/transfer/"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    assert transfer["$ref"].endswith("/TransferResult")


# --- the depot page -------------------------------------------------------------------------


def test_the_depot_page_offers_the_actions_to_its_stock_handlers(client, depot_manager, lot):
    client.force_login(depot_manager)
    page = client.get("/inventory/depots/XZ-CITY-01/").content.decode()
    assert f'data-testid="write-off-{lot.pk}"' in page and f'data-testid="transfer-{lot.pk}"' in page
    assert f'action="{page_url(lot, "consume")}"' in page and "csrfmiddlewaretoken" in page
    assert '<option value="XZ-YP-01">' in page and '<option value="XZ-CITY-01">' not in page


@pytest.mark.parametrize("persona", ["viewer", "yuanping_manager"])
def test_the_depot_page_hides_the_actions_from_others(client, request, lot, persona):
    client.force_login(request.getfixturevalue(persona))
    page = client.get("/inventory/depots/XZ-CITY-01/").content.decode()
    assert "SB-1" in page and f"write-off-{lot.pk}" not in page


def test_writing_off_from_the_page(client, depot_manager, lot):
    client.force_login(depot_manager)
    response = client.post(page_url(lot, "write-off"), {"quantity": "4", "reason": "mouldy"}, follow=True)
    assert response.redirect_chain[-1][0] == f"/inventory/depots/XZ-CITY-01/#lot-{lot.pk}"
    page = response.content.decode()
    assert '<li class="success">已报废批次 SB-1 的 4 bag。</li>' in page  # Chinese first
    assert on_hand(lot) == 16
    movement = Movement.objects.get(kind="write_off")
    assert (movement.quantity, movement.reason, movement.actor) == (-4, "mouldy", depot_manager)


def test_consuming_from_the_page(client, depot_manager, lot, make_incident):
    incident = make_incident()
    client.force_login(depot_manager)
    response = client.post(
        page_url(lot, "consume"), {"quantity": "1.5", "reason": "drill", "incident": str(incident)}, follow=True
    )
    assert '<li class="success">' in response.content.decode()
    assert on_hand(lot) == 18.5
    assert Movement.objects.get(kind="consume").incident_id == incident


def test_transferring_from_the_page(client, depot_manager, lot):
    client.force_login(depot_manager)
    body = {"to_depot": YUANPING, "quantity": "6", "reason": ""}
    response = client.post(page_url(lot, "transfer"), body, follow=True)
    page = response.content.decode()
    assert '<li class="success">' in page and "原平市环境应急物资储备库" in page
    assert on_hand(lot) == 14
    assert float(Lot.objects.get(depot__code=YUANPING, code="SB-1").quantity) == 6


def test_a_refused_page_action_shows_the_error_and_writes_nothing(client, depot_manager, lot):
    client.force_login(depot_manager)
    before = Movement.objects.count()
    response = client.post(page_url(lot, "write-off"), {"quantity": "21", "reason": "x"}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<li class="error">' in page and "SB-1" in page and "20" in page.split('<li class="error">')[1]
    assert Movement.objects.count() == before and on_hand(lot) == 20


@pytest.mark.parametrize(
    ("action", "body", "label"),
    [
        ("write-off", {"quantity": "-1", "reason": "x"}, "Quantity"),
        ("write-off", {"quantity": "many", "reason": "x"}, "Quantity"),
        ("consume", {"quantity": "1", "reason": ""}, "Reason"),
        ("consume", {"quantity": "1", "reason": "x", "incident": "-3"}, "Incident"),
        ("transfer", {"to_depot": "NOWHERE", "quantity": "1"}, "To depot"),
        ("transfer", {"to_depot": CITY, "quantity": "1"}, "To depot"),  # refused by the service
    ],
)
def test_an_invalid_page_form_shows_the_error_and_writes_nothing(client, depot_manager, lot, action, body, label):
    client.force_login(depot_manager)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # English labels, whatever is compiled
    before = Movement.objects.count()
    response = client.post(page_url(lot, action), body, follow=True)
    error = response.content.decode().split('<li class="error">')[1].split("</li>")[0]
    assert error.startswith("Lot SB-1: ") and f"{label}: " in error
    assert Movement.objects.count() == before and Lot.objects.count() == 1


def test_a_manager_of_another_depot_cannot_post_the_page_form(client, yuanping_manager, lot):
    client.force_login(yuanping_manager)
    response = client.post(page_url(lot, "write-off"), {"quantity": "1", "reason": "x"})
    assert response.status_code == 403
    assert not Movement.objects.filter(kind="write_off").exists()


def test_the_page_action_needs_post(client, depot_manager, lot):
    client.force_login(depot_manager)
    assert client.get(page_url(lot, "write-off")).status_code == 405
