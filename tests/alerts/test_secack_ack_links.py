"""Issue #12, items 1 and 4: an acknowledgement link is a credential. Only the phone ever sees
a live one: the stored body (and so the API, the admin, every page) carries `/a/…`, the sender
puts a fresh token into its request to the provider alone, the database keeps only a hash, a
resend replaces the old link, and a deactivated contact's link is gone. Notification detail is
filtered like the list."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.utils import timezone

from backend.alerts.models import AckToken, Notification
from backend.alerts.services import compose, notify_departments, sending
from backend.directory import services as directory
from backend.incidents import services as incidents
from backend.incidents.models import Task

from .conftest import ENV

pytestmark = pytest.mark.django_db
LIVE = re.compile(r"/a/([2-9a-zA-Z]{12})\b")
S = Notification.Status


def live_key(sandbox, number: str, index: int = -1) -> str:
    """The key in the link the phone received (the sandbox plays the phone)."""
    match = LIVE.search(sandbox.messages_to(number)[index]["body"])
    assert match, sandbox.messages_to(number)[index]["body"]
    return match.group(1)


@pytest.fixture
def sent(open_incident, people, sandbox):
    now = timezone.now()
    incident = open_incident(now=now)
    fire = Notification.objects.get(contact=people["fire1"])
    assert sending.send(fire.pk, now=now).result == "sent"
    fire.refresh_from_db()
    return incident, fire


def test_the_stored_body_carries_only_a_redacted_link(sent, sandbox):
    incident, fire = sent
    assert fire.body.endswith(f"{ENV['PUBLIC_BASE_URL']}/a/…")
    assert not LIVE.search(fire.body)
    for notification in Notification.objects.all():
        assert not LIVE.search(notification.body), notification.body


def test_the_phone_gets_a_live_link_that_only_the_phone_knows(sent, sandbox, client):
    incident, fire = sent
    phone_body = sandbox.messages_to(fire.to)[-1]["body"]
    key = live_key(sandbox, fire.to)
    assert phone_body == fire.body.replace("/a/…", f"/a/{key}")
    assert compose.segments(phone_body) <= compose.MAX_SEGMENTS
    # The database holds a hash of the key, never the key itself.
    token = AckToken.objects.get(pk=fire.ack_token_id)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    for row in AckToken.objects.values():
        assert all(key not in str(value) for value in row.values())
    page = client.get(f"/a/{key}")
    assert page.status_code == 200 and page.content.decode().count("<button") == 1
    assert client.post(f"/a/{key}").status_code == 200
    assert Task.objects.get(incident=incident, department__code="fire").acknowledged_at is not None


def test_the_api_and_the_admin_show_only_the_redacted_body(sent, sandbox, api_for, viewer, admin_client):
    incident, fire = sent
    key = live_key(sandbox, fire.to)
    listed = api_for(viewer).get("/api/notifications/", {"incident": incident.pk}).content.decode()
    assert "/a/…" in listed and key not in listed
    detail = api_for(viewer).get(f"/api/notifications/{fire.pk}/").content.decode()
    assert "/a/…" in detail and key not in detail
    for url in (
        "/admin/alerts/notification/",
        f"/admin/alerts/notification/{fire.pk}/change/",
        "/admin/alerts/acktoken/",
        f"/admin/alerts/acktoken/{fire.ack_token_id}/change/",
    ):
        response = admin_client.get(url)
        assert response.status_code == 200, url
        assert key not in response.content.decode(), url


def test_each_message_carries_its_own_token(sent, sandbox, people, departments):
    incident, fire = sent
    first = live_key(sandbox, fire.to)
    incidents.add_task(incident, department=departments["fire"], text="转移下游群众", now=timezone.now())
    second = Notification.objects.filter(contact=people["fire1"]).exclude(pk=fire.pk).get()
    Notification.objects.filter(pk=second.pk).update(send_after=timezone.now())
    assert sending.send(second.pk).result == "sent"
    assert live_key(sandbox, fire.to) != first
    assert AckToken.objects.filter(contact=people["fire1"]).count() == 2


def test_a_resend_gets_a_new_token_and_the_old_link_stops_working(sent, sandbox, client, api_for, duty_officer):
    incident, fire = sent
    old = live_key(sandbox, fire.to)
    Notification.objects.filter(pk=fire.pk).update(status=S.UNDELIVERED)
    response = api_for(duty_officer).post(f"/api/notifications/{fire.pk}/resend/")
    assert response.status_code == 201
    copy = Notification.objects.get(pk=response.json()["id"])
    assert copy.body == fire.body and not LIVE.search(copy.body)
    assert sending.send(copy.pk).result == "sent"
    new = live_key(sandbox, fire.to)
    assert new != old
    assert client.get(f"/a/{old}").status_code == 410
    assert client.post(f"/a/{old}").status_code == 410
    assert not Task.objects.filter(acknowledged_at__isnull=False).exists()
    assert client.get(f"/a/{new}").status_code == 200


def test_a_deactivated_contacts_link_is_gone(sent, sandbox, client, people):
    incident, fire = sent
    key = live_key(sandbox, fire.to)
    directory.deactivate_contact(people["fire1"])
    assert client.get(f"/a/{key}").status_code == 410
    assert client.post(f"/a/{key}").status_code == 410
    assert not Task.objects.filter(acknowledged_at__isnull=False).exists()


def test_an_expired_live_link_is_still_gone(sent, sandbox, client):
    incident, fire = sent
    key = live_key(sandbox, fire.to)
    AckToken.objects.filter(pk=fire.ack_token_id).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/a/{key}").status_code == 410


def test_notification_detail_is_filtered_like_the_list(people, sandbox, api_for, viewer, fire_liaison, duty_officer):
    """A drill notice or a stock digest (names, numbers) has no incident: not for any viewer."""
    [notice] = notify_departments(["police"], "【演练】滹沱河演练改期至6月12日9时")
    assert api_for(viewer).get(f"/api/notifications/{notice.pk}/").status_code == 404
    assert api_for(fire_liaison).get(f"/api/notifications/{notice.pk}/").status_code == 404
    assert notice.pk not in [n["id"] for n in api_for(viewer).get("/api/notifications/").json()["results"]]
    # The duty office sees and resends it; it is still in its list.
    assert api_for(duty_officer).get(f"/api/notifications/{notice.pk}/").status_code == 200
    assert notice.pk in [n["id"] for n in api_for(duty_officer).get("/api/notifications/").json()["results"]]
