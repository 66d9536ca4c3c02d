"""The daily stock digest to depot managers, and the board's notification API."""

from __future__ import annotations

import pytest
from django.utils import timezone

from backend.alerts.models import Notification
from backend.alerts.services import sending
from backend.directory import services as directory
from inventory import services as inventory
from inventory.signals import stock_alerts_computed
from tests.inventory.conftest import depots, items, stock  # noqa: F401 - fixtures

from .conftest import T0

pytestmark = pytest.mark.django_db


def test_one_digest_per_manager_per_day_not_one_per_lot(depots, items, stock, departments, sandbox):  # noqa: F811
    city = depots["XZ-CITY-01"]
    manager = directory.save_contact(department=departments["environment"], name="库管员", mobile="13700000001")
    city.manager = manager
    city.save(update_fields=["manager"])
    for n in range(4):
        stock(city, items["pac"], 1, lot=f"L{n}", days=3)
    stock(depots["XZ-YP-01"], items["pac"], 1, lot="far", days=3)  # no manager: nobody to tell

    today = timezone.localdate()
    digest = inventory.announce_stock_alerts(today=today)
    assert len(digest["expiring"]) == 5

    [notification] = Notification.objects.filter(kind=Notification.Kind.DIGEST)
    assert notification.contact == manager and notification.incident is None
    assert "4批临期" in notification.body and "忻州市环境应急物资储备库" in notification.body

    stock_alerts_computed.send(sender=None, digest=digest, on=today)  # the task ran twice
    assert Notification.objects.filter(kind=Notification.Kind.DIGEST).count() == 1


def test_users_bound_to_a_depot_get_the_digest_on_their_contact(depots, items, stock, departments, make_user, sandbox):  # noqa: F811
    from backend.directory import roles

    user = make_user(roles.DEPOT_MANAGER, username="depot")
    contact = directory.save_contact(department=departments["emergency"], name="仓管", mobile="13700000002", user=user)
    depots["XZ-YP-01"].managers.add(user)
    depots["XZ-DX-01"].managers.add(user)
    stock(depots["XZ-YP-01"], items["pac"], 1, lot="a", days=-2)
    stock(depots["XZ-DX-01"], items["pac"], 1, lot="b", days=2)

    inventory.announce_stock_alerts()

    [notification] = Notification.objects.filter(kind=Notification.Kind.DIGEST)
    assert notification.contact == contact
    assert "1批已过期" in notification.body and "1批临期" in notification.body


@pytest.fixture
def sms_history(open_incident, people, sandbox):
    incident = open_incident()
    fire = Notification.objects.get(contact=people["fire1"])
    sandbox.fail_next(fire.to, 400, 21211, "invalid")
    sending.send(fire.pk, now=T0)
    police = Notification.objects.get(contact=people["police1"])
    sending.send(police.pk, now=T0)
    return incident, fire, police


def test_the_board_lists_an_incidents_notifications(sms_history, api_for, viewer):
    incident, fire, police = sms_history
    response = api_for(viewer).get(f"/api/notifications/?incident={incident.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3
    by_id = {n["id"]: n for n in body["results"]}
    assert by_id[fire.pk]["status"] == "failed" and by_id[fire.pk]["error_code"] == "21211"
    assert by_id[fire.pk]["can_resend"] is True and by_id[fire.pk]["department"] == "fire"
    assert by_id[police.pk]["status"] == "accepted" and by_id[police.pk]["contact"]["name"] == "police-1"


def test_the_summary_counts_per_department_with_the_latest_error(sms_history, api_for, viewer):
    incident, fire, police = sms_history
    response = api_for(viewer).get(f"/api/notification-summary/?incident={incident.pk}")
    assert response.status_code == 200
    rows = {row["department"]: row for row in response.json()["departments"]}
    assert rows["fire"]["failed"] == 1 and rows["fire"]["sent"] == 0
    assert rows["fire"]["latest_error"]["code"] == "21211"
    assert rows["police"]["sent"] == 1 and rows["police"]["delivered"] == 0 and rows["police"]["latest_error"] is None
    assert rows["environment"]["queued"] == 1
    assert rows["police"]["tasks"] == 1 and rows["police"]["acknowledged"] == 0
    assert api_for(viewer).get("/api/notification-summary/").status_code == 400


def test_only_a_duty_officer_resends_and_only_what_needs_it(sms_history, api_for, viewer, duty_officer, people):
    incident, fire, police = sms_history
    assert api_for(viewer).post(f"/api/notifications/{fire.pk}/resend/").status_code == 403
    assert api_for(duty_officer).post(f"/api/notifications/{police.pk}/resend/").status_code == 409
    # The number was refused: fix it first, then resend.
    assert api_for(duty_officer).post(f"/api/notifications/{fire.pk}/resend/").status_code == 409
    directory.save_contact(contact=people["fire1"], mobile="13800000055")

    response = api_for(duty_officer).post(f"/api/notifications/{fire.pk}/resend/")

    assert response.status_code == 201
    copy = Notification.objects.get(pk=response.json()["id"])
    assert copy.resend_of_id == fire.pk and copy.to == "+8613800000055" and copy.status == "queued"
    assert copy.body == fire.body


def test_anonymous_users_see_nothing(sms_history, client):
    incident, _, _ = sms_history
    assert client.get(f"/api/notifications/?incident={incident.pk}").status_code in (401, 403)
