"""The acknowledgement link in the SMS: GET shows one button, only POST acknowledges; the
token is short, random, single-use, bound to one contact and incident, and expires. The live
link exists only on the phone (the sandbox), so the tests read it there (see
tests/alerts/test_secack_ack_links.py for what the system itself keeps)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta

import pytest
from django.utils import timezone, translation

from backend.alerts.models import AckToken, Notification
from backend.alerts.services import sending
from backend.incidents.models import IncidentEvent, Task

from .conftest import ENV

pytestmark = pytest.mark.django_db


@dataclass
class Link:
    key: str  # what the phone received
    row: AckToken

    def __getattr__(self, name):
        return getattr(self.row, name)

    def refresh_from_db(self):
        self.row.refresh_from_db()


def phone_link(sandbox, notification) -> Link:
    """Send the notification and read the key from the message the phone received."""
    sending.send(notification.pk)
    body = sandbox.messages_to(notification.to)[-1]["body"]
    key = re.search(rf"{re.escape(ENV['PUBLIC_BASE_URL'])}/a/(\w+)$", body).group(1)
    notification.refresh_from_db()
    return Link(key, notification.ack_token)


@pytest.fixture
def token(open_incident, people, sandbox):
    # Opened now (the link checks expiry against the real clock).
    open_incident(now=timezone.now())
    notification = Notification.objects.get(contact=people["fire1"])
    return phone_link(sandbox, notification), notification


def test_the_sms_carries_a_short_random_link_bound_to_the_contact_and_incident(token, people, sandbox):
    token, notification = token
    assert len(token.key) == 12 and token.key.isalnum()
    assert token.contact == people["fire1"] and token.incident == notification.incident
    assert token.expires_at > timezone.now() + timedelta(hours=1)
    other = phone_link(sandbox, Notification.objects.get(contact=people["police1"]))
    assert other.key != token.key


def test_get_shows_what_is_acknowledged_with_one_button_and_changes_nothing(token, client):
    token, notification = token
    response = client.get(f"/a/{token.key}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "筑坝拦截" in page and token.incident.short_code in page
    assert page.count("<button") == 1 and 'method="post"' in page
    with translation.override("zh-hans"):  # Chinese by default (once the lead merges alerts.po)
        assert translation.gettext("Acknowledge receipt") in page
    assert not Task.objects.filter(acknowledged_at__isnull=False).exists()
    token.refresh_from_db()
    assert token.used_at is None


def test_post_acknowledges_the_contacts_department_tasks_once(token, client):
    token, notification = token
    response = client.post(f"/a/{token.key}")
    assert response.status_code == 200
    assert response.content.decode().count("<li>") == 1
    fire = Task.objects.get(incident=token.incident, department__code="fire")
    assert fire.status == Task.Status.ACKNOWLEDGED and fire.acknowledged_by == "fire-1"
    event = IncidentEvent.objects.filter(event_type="task_acknowledged").get()
    assert event.data["via"] == "link" and event.data["task"] == fire.pk
    assert Task.objects.get(incident=token.incident, department__code="police").acknowledged_at is None

    # Reused: gone, and nothing more happens.
    assert client.post(f"/a/{token.key}").status_code == 410
    assert client.get(f"/a/{token.key}").status_code == 410
    assert IncidentEvent.objects.filter(event_type="task_acknowledged").count() == 1


@pytest.mark.parametrize(
    "mutate", [lambda k: k[:-1] + ("x" if k[-1] != "x" else "y"), lambda k: k[:6], lambda k: k + "2"]
)
def test_a_tampered_token_is_not_found(token, client, mutate):
    token, _ = token
    key = mutate(token.key)
    assert client.get(f"/a/{key}").status_code == 404
    assert client.post(f"/a/{key}").status_code == 404
    assert not Task.objects.filter(acknowledged_at__isnull=False).exists()


def test_an_expired_token_is_gone(token, client):
    token, _ = token
    AckToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get(f"/a/{token.key}").status_code == 410
    assert client.post(f"/a/{token.key}").status_code == 410
    assert not Task.objects.filter(acknowledged_at__isnull=False).exists()


def test_the_page_speaks_english_when_asked(token, client):
    token, _ = token
    client.cookies["django_language"] = "en"
    page = client.get(f"/a/{token.key}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Acknowledge receipt" in page or "确认收到" in page


def test_a_trailing_slash_added_by_a_phone_still_works(token, client):
    token, _ = token
    assert client.get(f"/a/{token.key}/").status_code == 200
