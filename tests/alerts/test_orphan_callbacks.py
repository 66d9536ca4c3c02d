"""Status callbacks that overtake the worker still storing the sid, redelivered tasks whose
worker died after claiming, and the SMS settings read from the environment."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.cache import cache

from backend.alerts.models import Notification
from backend.alerts.providers.twilio import TwilioProvider
from backend.alerts.services import sending, status
from backend.directory.models import Contact
from backend.incidents.models import IncidentEvent
from tests.support.settings_probe import settings_in_fresh_process

from .conftest import T0, sign

pytestmark = pytest.mark.django_db
S = Notification.Status
ROOT = Path(__file__).resolve().parents[2]


class EarlyCallbackProvider(TwilioProvider):
    """The real twilio library to the sandbox; then, before the sid reaches the sending code,
    `early(sid)` runs: Twilio's callbacks overtaking the worker."""

    early = None

    def send(self, to: str, body: str, status_callback: str) -> str:
        sid = super().send(to, body, status_callback)
        if EarlyCallbackProvider.early is not None:
            EarlyCallbackProvider.early(sid)
        return sid


@pytest.fixture
def early(settings):
    """early(fn): fn(sid) runs between the provider's answer and the sid being stored."""
    settings.SMS_PROVIDER = f"{__name__}.EarlyCallbackProvider"

    def set_(fn):
        EarlyCallbackProvider.early = fn

    yield set_
    EarlyCallbackProvider.early = None


def sms_events(notification):
    return list(
        IncidentEvent.objects.filter(event_type="sms_status", data__notification=notification.pk).order_by("seq")
    )


def status_post(client, params, signature=None):
    signature = sign("/twilio/status/", params) if signature is None else signature
    return client.post("/twilio/status/", params, HTTP_X_TWILIO_SIGNATURE=signature)


def kept(sid):
    return {s: v for s in status.RANK if (v := cache.get(status.orphan_key(sid, s))) is not None}


def test_a_signed_callback_for_an_unknown_sid_answers_200_and_is_kept(sandbox, client):
    sid = "SM" + uuid.uuid4().hex

    response = status_post(client, {"MessageSid": sid, "MessageStatus": "delivered", "AccountSid": "AC"})

    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Type"].startswith("text/plain")
    assert set(kept(sid)) == {"delivered"}


def test_callbacks_that_overtake_the_sid_are_applied_when_it_is_stored(sandbox, early, client, open_incident, people):
    open_incident()
    notification = Notification.objects.get(contact=people["fire1"])
    answers = []

    def overtake(sid):
        # Out of order too: delivered before sent. Nothing has the sid yet.
        for state in ("delivered", "sent"):
            answers.append(status_post(client, {"MessageSid": sid, "MessageStatus": state, "AccountSid": "AC"}))
        assert not Notification.objects.filter(provider_sid=sid).exists()
        assert set(kept(sid)) == {"delivered", "sent"}

    early(overtake)
    assert sending.send(notification.pk, now=T0).result == "sent"

    assert [a.status_code for a in answers] == [200, 200]
    notification.refresh_from_db()
    assert notification.provider_sid and notification.status == S.DELIVERED
    assert notification.delivered_at is not None
    # One event per change, lowest rank first, as if they had come after the sid was stored.
    steps = [(e.data["previous"], e.data["status"]) for e in sms_events(notification)]
    assert steps[-2:] == [("accepted", "sent"), ("sent", "delivered")]
    assert kept(notification.provider_sid) == {}  # applied once, then forgotten
    assert status.apply_orphans(notification.provider_sid) == []


def test_an_early_failure_keeps_its_error_code_and_marks_the_number_bad(sandbox, early, client, open_incident, people):
    open_incident()
    notification = Notification.objects.get(contact=people["police1"])
    early(
        lambda sid: status_post(
            client, {"MessageSid": sid, "MessageStatus": "failed", "ErrorCode": "21610", "AccountSid": "AC"}
        )
    )

    sending.send(notification.pk, now=T0)

    notification.refresh_from_db()
    assert notification.status == S.FAILED and notification.error_code == "21610"
    assert sms_events(notification)[-1].data["status"] == "failed"
    assert Contact.objects.get(pk=people["police1"].pk).number_status == Contact.NumberStatus.BAD


def test_a_kept_status_never_moves_a_final_one_back(sandbox, twilio_post, open_incident, people):
    open_incident()
    notification = Notification.objects.get(contact=people["fire1"])
    sending.send(notification.pk, now=T0)
    notification.refresh_from_db()
    delivered = {"MessageSid": notification.provider_sid, "MessageStatus": "delivered"}
    assert twilio_post("/twilio/status/", delivered).status_code == 200
    before = len(sms_events(notification))
    status.keep_orphan(notification.provider_sid, "sent")

    assert status.apply_orphans(notification.provider_sid) == []

    notification.refresh_from_db()
    assert notification.status == S.DELIVERED
    assert len(sms_events(notification)) == before


def test_a_sid_stored_while_the_callback_was_looking_is_still_applied(
    sandbox, twilio_post, open_incident, people, monkeypatch
):
    """The race the view closes: its look-up misses the sid, the worker stores the sid and
    finds no orphan yet, then the view keeps the orphan. The view applies it itself."""
    open_incident()
    notification = Notification.objects.get(contact=people["fire1"])
    sending.send(notification.pk, now=T0)
    notification.refresh_from_db()
    real = status.apply_statuses
    calls = []

    def first_misses(callbacks):
        calls.extend(callback["status"] for callback in callbacks)
        if len(calls) == 1:
            return [Notification.DoesNotExist]
        return real(callbacks)

    monkeypatch.setattr(status, "apply_statuses", first_misses)
    response = twilio_post("/twilio/status/", {"MessageSid": notification.provider_sid, "MessageStatus": "sent"})

    assert response.status_code == 200
    assert calls == ["sent", "sent"]
    notification.refresh_from_db()
    assert notification.status == S.SENT
    assert kept(notification.provider_sid) == {}


@pytest.mark.parametrize("signature", ["", "bm90IGEgc2lnbmF0dXJl"])
def test_a_forged_callback_for_an_unknown_sid_is_refused_and_keeps_nothing(
    sandbox, early, client, open_incident, people, signature
):
    open_incident()
    notification = Notification.objects.get(contact=people["fire1"])
    before = len(sms_events(notification))
    answers = []

    def forged(sid):
        params = {"MessageSid": sid, "MessageStatus": "delivered", "AccountSid": "AC"}
        answers.append(status_post(client, params, signature=signature or "x"))
        assert kept(sid) == {}

    early(forged)
    sending.send(notification.pk, now=T0)

    assert [a.status_code for a in answers] == [403]
    notification.refresh_from_db()
    assert notification.status == S.ACCEPTED
    assert len(sms_events(notification)) == before
    assert kept(notification.provider_sid) == {}


# --- a task redelivered after its worker died ------------------------------------------------


@pytest.fixture
def claimed(sandbox, settings, open_incident, people):
    """The fire duty officer's alert, claimed at T0 by a worker that then died."""
    settings.SMS_HTTP_TIMEOUT_SECONDS = 15
    open_incident()
    notification = Notification.objects.get(contact=people["fire1"])
    assert sending.claim(notification.pk, T0)
    return notification


def test_a_redelivered_task_marks_an_old_claim_unknown_at_once(claimed, sandbox):
    before = len(sms_events(claimed))

    outcome = sending.send(claimed.pk, now=T0 + timedelta(seconds=21))  # past 15 s + 5 s

    assert outcome.result == "unknown"
    claimed.refresh_from_db()
    assert claimed.status == S.UNKNOWN and "check and resend" in claimed.error_message
    events = sms_events(claimed)
    assert len(events) == before + 1
    assert (events[-1].data["previous"], events[-1].data["status"]) == ("sending", "unknown")
    assert sandbox.messages == []  # never a silent resend
    # The sweep later finds nothing left to do, and a further delivery changes nothing.
    assert sending.sweep_stale(now=T0 + timedelta(minutes=10)) == 0
    assert sending.send(claimed.pk, now=T0 + timedelta(minutes=11)).result == "skipped"
    assert len(sms_events(claimed)) == before + 1


@pytest.mark.parametrize("age", [1, 19])
def test_a_redelivered_task_leaves_a_young_claim_alone(claimed, sandbox, age):
    before = len(sms_events(claimed))

    assert sending.send(claimed.pk, now=T0 + timedelta(seconds=age)).result == "skipped"

    claimed.refresh_from_db()
    assert claimed.status == S.SENDING
    assert len(sms_events(claimed)) == before
    assert sandbox.messages == []


def test_the_grace_follows_the_provider_timeout(claimed, settings):
    settings.SMS_HTTP_TIMEOUT_SECONDS = 40
    assert sending.send(claimed.pk, now=T0 + timedelta(seconds=30)).result == "skipped"
    assert sending.send(claimed.pk, now=T0 + timedelta(seconds=46)).result == "unknown"


def test_a_claim_the_provider_answered_is_not_marked_unknown(claimed):
    # Twilio's own `sending` status after the sid was stored: slow, not lost.
    Notification.objects.filter(pk=claimed.pk).update(provider_sid="SM" + uuid.uuid4().hex)

    assert sending.send(claimed.pk, now=T0 + timedelta(minutes=5)).result == "skipped"
    claimed.refresh_from_db()
    assert claimed.status == S.SENDING


# --- settings ---------------------------------------------------------------------------------


def test_the_sweep_follows_sms_sending_timeout_seconds(claimed, settings):
    settings.SMS_SENDING_TIMEOUT_SECONDS = 120
    assert sending.sweep_stale(now=T0 + timedelta(seconds=100)) == 0
    assert sending.sweep_stale(now=T0 + timedelta(seconds=121)) == 1


def read_settings(**env) -> dict:
    names = ["SMS_SENDING_TIMEOUT_SECONDS", "SMS_MAX_ATTEMPTS", "SMS_RETRY_BASE_SECONDS", "ALERTS_ACK_TOKEN_HOURS"]
    return settings_in_fresh_process(names, env)


def test_the_alerts_settings_come_from_the_environment():
    assert read_settings() == {
        "SMS_SENDING_TIMEOUT_SECONDS": 60,
        "SMS_MAX_ATTEMPTS": 5,
        "SMS_RETRY_BASE_SECONDS": 5.0,
        "ALERTS_ACK_TOKEN_HOURS": 72.0,
    }
    changed = {
        "SMS_SENDING_TIMEOUT_SECONDS": "45",
        "SMS_MAX_ATTEMPTS": "3",
        "SMS_RETRY_BASE_SECONDS": "2.5",
        "ALERTS_ACK_TOKEN_HOURS": "24",
    }
    assert read_settings(**changed) == {
        "SMS_SENDING_TIMEOUT_SECONDS": 45,
        "SMS_MAX_ATTEMPTS": 3,
        "SMS_RETRY_BASE_SECONDS": 2.5,
        "ALERTS_ACK_TOKEN_HOURS": 24.0,
    }


def test_they_are_documented_in_env_example():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    for line in ("SMS_SENDING_TIMEOUT_SECONDS=60", "SMS_MAX_ATTEMPTS=5", "ALERTS_ACK_TOKEN_HOURS=72"):
        assert f"\n{line}\n" in example
