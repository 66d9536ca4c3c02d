"""A depot manager works a dispatch on screen: the incident by code and title (through the
inventory hook), the depot's duty contact and hours, what is reserved for whom, and each step
(approve, send out, deliver, close, cancel) as a button whose refusal shows beside it."""

from __future__ import annotations

import re

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from backend.directory import services as directory
from backend.incidents.models import Incident
from inventory import hooks, services
from inventory.models import Dispatch

pytestmark = pytest.mark.django_db


@pytest.fixture
def incident(db):
    now = timezone.now()
    return Incident.objects.create(
        short_code="N6HA", title="罐车侧翻苯酚泄漏", kind="water", location=Point(112.7, 38.4, srid=4326),
        occurred_at=now, reported_at=now,
    )  # fmt: skip


@pytest.fixture
def dispatch(items, depots, depot_manager, departments, incident):
    depot = depots["XZ-CITY-01"]
    depot.manager = directory.save_contact(department=departments["environment"], name="王库管", mobile="13900000031")
    depot.opening_hours = "08:00-18:00"
    depot.save()
    services.receive(depot=depot, item=items["sandbag"], quantity=500, lot="SB-1", actor=depot_manager)
    return services.request_dispatch(
        depot=depot, item=items["sandbag"], quantity=200, incident_id=incident.pk, destination="下游 2 km 坝址"
    )


def test_the_incident_is_named_through_the_hook(incident):
    labels = hooks.incident_labels([incident.pk, None, 999999])
    assert labels == {
        incident.pk: {
            "short_code": "N6HA",
            "title": "罐车侧翻苯酚泄漏",
            "exercise": False,
            "url": f"/board/incidents/{incident.pk}/",
        }
    }


def test_the_page_shows_incident_duty_contact_hours_and_reservations(client, depot_manager, dispatch):
    client.force_login(depot_manager)
    page = client.get(f"/inventory/dispatches/{dispatch.pk}/").content.decode()
    assert "N6HA" in page and "罐车侧翻苯酚泄漏" in page
    assert "王库管" in page and 'href="tel:+8613900000031"' in page and "08:00-18:00" in page
    reserved = re.search(r'data-testid="reserved".*?</table>', page, re.S).group(0)
    assert "SB-1" in reserved and "200" in reserved and "N6HA" in reserved
    assert 'data-step="approve"' in page and 'data-step="cancel"' in page and 'data-step="deliver"' not in page
    listing = client.get("/inventory/dispatches/").content.decode()
    assert f'data-dispatch="{dispatch.pk}"' in listing and "N6HA" in listing


def test_each_step_on_screen_moves_the_dispatch_to_closed(client, depot_manager, dispatch):
    client.force_login(depot_manager)
    for step, status in [("approve", "approved"), ("dispatch", "dispatched"), ("deliver", "delivered")]:
        answer = client.post(f"/inventory/dispatches/{dispatch.pk}/{step}/")
        assert answer.status_code == 302, answer.content
        dispatch.refresh_from_db()
        assert dispatch.status == status
    client.post(f"/inventory/dispatches/{dispatch.pk}/close/", {"returned_quantity": "50"})
    dispatch.refresh_from_db()
    assert dispatch.status == Dispatch.Status.CLOSED and dispatch.returned_quantity == 50


def test_a_refused_step_is_shown_beside_its_button(client, depot_manager, dispatch):
    client.force_login(depot_manager)
    client.post(f"/inventory/dispatches/{dispatch.pk}/approve/")
    client.post(f"/inventory/dispatches/{dispatch.pk}/dispatch/")
    client.post(f"/inventory/dispatches/{dispatch.pk}/deliver/")
    answer = client.post(f"/inventory/dispatches/{dispatch.pk}/close/", {"returned_quantity": "900"})
    assert answer.status_code == 409
    page = answer.content.decode()
    close_form = re.search(r'<form[^>]*/close/".*?</form>', page, re.S).group(0)
    assert 'data-testid="step-error"' in close_form
    dispatch.refresh_from_db()
    assert dispatch.status == Dispatch.Status.DELIVERED


def test_cancel_releases_and_a_wrong_state_is_a_409_in_words(client, depot_manager, dispatch):
    client.force_login(depot_manager)
    assert client.post(f"/inventory/dispatches/{dispatch.pk}/cancel/").status_code == 302
    dispatch.refresh_from_db()
    assert dispatch.status == Dispatch.Status.CANCELLED
    again = client.post(f"/inventory/dispatches/{dispatch.pk}/approve/")
    assert again.status_code == 409 and "已取消" in again.content.decode()


def test_a_manager_of_another_depot_does_not_see_it(client, make_user, depots, dispatch):
    from backend.directory import roles

    other = make_user(roles.DEPOT_MANAGER, username="other-depot")
    depots["XZ-YP-01"].managers.add(other)
    client.force_login(other)
    assert client.get(f"/inventory/dispatches/{dispatch.pk}/").status_code == 404
    assert client.post(f"/inventory/dispatches/{dispatch.pk}/approve/").status_code == 404
