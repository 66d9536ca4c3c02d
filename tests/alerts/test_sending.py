"""Sending through the real twilio library to the local Twilio-speaking sandbox: the request
on the wire, permanent and transient errors with backoff, and never sending twice."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.alerts import providers
from backend.alerts.models import Notification
from backend.alerts.providers import TransportError
from backend.alerts.services import sending
from backend.directory.models import Contact
from backend.incidents.models import IncidentEvent

from .conftest import ENV, T0

pytestmark = pytest.mark.django_db
S = Notification.Status


def notification_for(contact) -> Notification:
    return Notification.objects.get(contact=contact)


def test_it_posts_twilio_fields_with_basic_auth_and_the_status_callback(sandbox, open_incident, people):
    open_incident()
    notification = notification_for(people["fire1"])

    outcome = sending.send(notification.pk, now=T0)

    assert outcome.result == "sent"
    [message] = sandbox.messages
    assert message["to"] == "+8613800000003"
    assert message["from"] == ENV["TWILIO_FROM"]
    assert message["messaging_service_sid"] is None
    notification.refresh_from_db()
    # The phone gets the live link; the stored body keeps it redacted.
    assert message["body"] == notification.body.replace("/a/…", message["body"][-15:])
    assert message["body"][-15:-12] == "/a/" and notification.body.endswith("/a/…")
    assert message["status_callback"] == ENV["PUBLIC_BASE_URL"] + "/twilio/status/"
    notification.refresh_from_db()
    assert notification.status == S.ACCEPTED
    assert notification.provider_sid == message["sid"] and notification.provider_sid.startswith("SM")
    assert notification.attempts == 1
    # The provider's answer is no delivery status: the timeline waits for its callbacks.
    assert not IncidentEvent.objects.filter(event_type="sms_status").exists()


def test_it_uses_the_messaging_service_instead_of_from_when_configured(sandbox, settings, open_incident, people):
    settings.TWILIO_MESSAGING_SERVICE_SID = "MG00000000000000000000000000test"
    open_incident()

    sending.send(notification_for(people["police1"]).pk, now=T0)

    [message] = sandbox.messages
    assert message["messaging_service_sid"] == "MG00000000000000000000000000test"
    assert message["from"] == ""


def test_wrong_credentials_are_refused_by_the_server_and_not_retried(sandbox, settings):
    settings.TWILIO_AUTH_TOKEN = "wrong"
    with pytest.raises(TransportError) as refused:
        providers.get_provider().send("+8613800000003", "测试", "http://127.0.0.1/twilio/status/")
    assert refused.value.permanent and refused.value.code == "20003"
    assert sandbox.messages == []


@pytest.mark.parametrize("code", [21211, 21610, 21614, 21408])
def test_a_permanent_error_fails_at_once_and_marks_the_number_bad(sandbox, open_incident, people, code):
    contact = people["fire1"]
    sandbox.fail_next(contact.mobile, 400, code, "refused")
    open_incident()
    notification = notification_for(contact)

    outcome = sending.send(notification.pk, now=T0)

    assert outcome.result == "failed"
    notification.refresh_from_db()
    assert notification.status == S.FAILED and notification.error_code == str(code)
    assert notification.attempts == 1
    contact.refresh_from_db()
    assert contact.number_status == Contact.NumberStatus.BAD and str(code) in contact.number_error
    event = IncidentEvent.objects.filter(event_type="sms_status").last()
    assert event.data["status"] == "failed" and event.data["error_code"] == str(code)
    # A later message to the bad number is not even tried.
    assert len(sandbox.messages) == 1


@pytest.mark.parametrize(("http_status", "code"), [(429, 20429), (500, None), (503, None), (429, None)])
def test_a_transient_error_is_retried_with_exponential_backoff(sandbox, open_incident, people, http_status, code):
    contact = people["police1"]
    sandbox.fail_next(contact.mobile, http_status, code, "busy", times=3)
    open_incident()
    notification = notification_for(contact)

    delays, now = [], T0
    for _ in range(3):
        outcome = sending.send(notification.pk, now=now)
        assert outcome.result == "retry"
        delays.append(outcome.retry_in)
        notification.refresh_from_db()
        assert notification.status == S.QUEUED and notification.error_code == str(code or http_status)
        # Not due yet: nothing is sent before the backoff has passed.
        assert sending.send(notification.pk, now=now + timedelta(seconds=outcome.retry_in - 1)).result == "not_due"
        now = notification.send_after

    assert delays == [5, 10, 20]
    assert sending.send(notification.pk, now=now).result == "sent"
    notification.refresh_from_db()
    assert notification.status == S.ACCEPTED and notification.attempts == 4
    assert len(sandbox.messages_to(contact.mobile)) == 4
    contact.refresh_from_db()
    assert contact.number_status == Contact.NumberStatus.OK


def test_it_gives_up_after_the_attempt_limit(sandbox, open_incident, people):
    contact = people["police1"]
    sandbox.fail_next(contact.mobile, 503, None, "down", times=10)
    open_incident()
    notification = notification_for(contact)
    now = T0
    for _ in range(3):
        assert sending.send(notification.pk, now=now).result == "retry"
        notification.refresh_from_db()
        now = notification.send_after
    assert sending.send(notification.pk, now=now).result == "failed"
    notification.refresh_from_db()
    assert notification.status == S.FAILED and notification.attempts == 4
    assert "gave up" in notification.error_message


def test_a_network_error_is_transient(sandbox, settings, open_incident, people):
    from tests.support.servers import free_port

    settings.TWILIO_API_URL = f"http://127.0.0.1:{free_port()}"  # nobody listens there
    open_incident()
    notification = notification_for(people["fire1"])

    outcome = sending.send(notification.pk, now=T0)

    assert outcome.result == "retry" and outcome.retry_in == 5
    notification.refresh_from_db()
    assert notification.status == S.QUEUED and notification.error_code == "network"


def test_running_the_send_twice_sends_once(sandbox, open_incident, people):
    open_incident()
    notification = notification_for(people["fire1"])

    assert sending.send(notification.pk, now=T0).result == "sent"
    assert sending.send(notification.pk, now=T0).result == "skipped"

    assert len(sandbox.messages) == 1


def test_a_worker_lost_after_claiming_leaves_unknown_never_a_silent_resend(sandbox, open_incident, people):
    open_incident()
    notification = notification_for(people["fire1"])
    assert sending.claim(notification.pk, T0)  # ... and the worker dies here

    assert sending.sweep_stale(now=T0 + timedelta(seconds=30)) == 0  # still within the timeout
    assert sending.sweep_stale(now=T0 + timedelta(minutes=10)) == 1
    notification.refresh_from_db()
    assert notification.status == S.UNKNOWN
    # Celery redelivers the task (acks_late): the claim refuses it.
    assert sending.send(notification.pk, now=T0 + timedelta(minutes=11)).result == "skipped"
    assert sandbox.messages == []
    event = IncidentEvent.objects.filter(event_type="sms_status").last()
    assert event.data["status"] == "unknown"


def test_queued_messages_whose_task_was_lost_are_picked_up_again(sandbox, open_incident, people):
    open_incident()
    due = sending.due_ids(now=T0 + timedelta(minutes=1))
    assert set(due) == set(Notification.objects.values_list("pk", flat=True))


def test_the_sandbox_page_shows_each_phone_with_its_messages(sandbox, open_incident, people):
    import httpx

    open_incident()
    sending.send(notification_for(people["fire1"]).pk, now=T0)
    page = httpx.get(sandbox.url + "/").text
    assert people["fire1"].mobile in page and "筑坝拦截" in page
    assert 'action="/reply"' in page
    listing = httpx.get(sandbox.url + "/sandbox/messages.json").json()
    assert listing["messages"][0]["to"] == people["fire1"].mobile


def test_the_shared_rate_limit_is_a_token_bucket_in_redis(settings):
    import time

    import redis

    from backend.alerts import ratelimit

    settings.SMS_RATE_PER_SECOND = 20
    redis.Redis.from_url(settings.REDIS_URL).delete(f"{settings.REDIS_PREFIX}:alerts:sms-bucket")
    began = time.monotonic()
    for _ in range(40):  # a burst of one second's worth (20), then 20 more at 20 per second
        assert ratelimit.acquire(max_wait=5)
    elapsed = time.monotonic() - began
    assert 0.8 <= elapsed < 3.0
    settings.SMS_RATE_PER_SECOND = 0
    assert ratelimit.try_acquire() == 0  # off
