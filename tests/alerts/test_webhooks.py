"""Twilio's webhooks: signed status callbacks (forward only) and reply SMS acknowledgements."""

from __future__ import annotations

import pytest

from backend.alerts.models import InboundMessage, Notification
from backend.alerts.services import sending
from backend.incidents.models import IncidentEvent, Task

from .conftest import T0, sign

pytestmark = pytest.mark.django_db
S = Notification.Status


@pytest.fixture
def sent(sandbox, open_incident, people):
    """The fire duty officer's alert, handed to the sandbox."""
    incident = open_incident()
    notification = Notification.objects.get(contact=people["fire1"])
    sending.send(notification.pk, now=T0)
    notification.refresh_from_db()
    notification.incident = incident
    return notification


def callback(notification, status, **extra):
    return {"MessageSid": notification.provider_sid, "MessageStatus": status, "AccountSid": "AC", **extra}


def sms_events():
    return list(IncidentEvent.objects.filter(event_type="sms_status").order_by("seq"))


def test_a_signed_status_callback_moves_the_status_and_writes_an_event(sent, twilio_post):
    before = len(sms_events())

    response = twilio_post("/twilio/status/", callback(sent, "sent"))

    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.status == S.SENT
    events = sms_events()
    assert len(events) == before + 1
    assert events[-1].data["status"] == "sent" and events[-1].data["previous"] == "accepted"
    assert twilio_post("/twilio/status/", callback(sent, "delivered")).status_code == 200
    sent.refresh_from_db()
    assert sent.status == S.DELIVERED and sent.delivered_at is not None


@pytest.mark.parametrize("signature", ["", "bm90IGEgc2lnbmF0dXJl", "tampered-with"])
def test_a_callback_with_a_bad_signature_is_refused_and_changes_nothing(sent, twilio_post, signature):
    before = len(sms_events())
    response = twilio_post("/twilio/status/", callback(sent, "delivered"), signature=signature or "x")
    assert response.status_code == 403
    sent.refresh_from_db()
    assert sent.status == S.ACCEPTED
    assert len(sms_events()) == before


def test_a_signature_for_other_fields_is_refused(sent, client):
    signature = sign("/twilio/status/", callback(sent, "sent"))
    response = client.post("/twilio/status/", callback(sent, "failed"), HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 403
    sent.refresh_from_db()
    assert sent.status == S.ACCEPTED


def test_out_of_order_callbacks_never_move_a_status_back(sent, twilio_post):
    twilio_post("/twilio/status/", callback(sent, "delivered"))
    before = len(sms_events())

    for late in ("sent", "sending", "queued", "failed", "undelivered"):
        assert twilio_post("/twilio/status/", callback(sent, late)).status_code == 200

    sent.refresh_from_db()
    assert sent.status == S.DELIVERED
    assert len(sms_events()) == before  # no event for what changed nothing


def test_sending_after_sent_is_ignored_and_a_failure_records_its_code(sent, twilio_post):
    twilio_post("/twilio/status/", callback(sent, "sent"))
    twilio_post("/twilio/status/", callback(sent, "sending"))
    sent.refresh_from_db()
    assert sent.status == S.SENT
    twilio_post("/twilio/status/", callback(sent, "undelivered", ErrorCode="30003"))
    sent.refresh_from_db()
    assert sent.status == S.UNDELIVERED and sent.error_code == "30003"
    assert sms_events()[-1].data["error_code"] == "30003"


def test_an_unknown_sid_answers_200_and_changes_nothing(sent, twilio_post):
    # Twilio does not retry status callbacks: the status is kept for a sid stored later
    # (tests/alerts/test_orphan_callbacks.py); nothing we have changes.
    before = len(sms_events())
    response = twilio_post("/twilio/status/", {"MessageSid": "SMnope", "MessageStatus": "delivered"})
    assert response.status_code == 200
    sent.refresh_from_db()
    assert sent.status == S.ACCEPTED
    assert len(sms_events()) == before


def inbound(from_number, body):
    return {"From": from_number, "To": "+15005550006", "Body": body, "MessageSid": "SMin1", "AccountSid": "AC"}


def test_a_reply_with_the_code_and_收到_acknowledges_the_departments_tasks(sent, twilio_post, people):
    incident = sent.incident
    response = twilio_post("/twilio/inbound/", inbound(people["fire2"].mobile, f"{incident.short_code.lower()} 收到"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert b"<Response><Message>" in response.content and "已确认".encode() in response.content
    fire = Task.objects.get(incident=incident, department__code="fire")
    assert fire.status == Task.Status.ACKNOWLEDGED and fire.acknowledged_by == "fire-2"
    event = IncidentEvent.objects.filter(event_type="task_acknowledged").last()
    assert event.data["via"] == "sms" and event.data["department"] == "fire"
    # Other departments' tasks are untouched.
    assert Task.objects.get(incident=incident, department__code="police").acknowledged_at is None
    assert InboundMessage.objects.get().result == "acknowledged"


@pytest.mark.parametrize("word", ["确认", "OK", "ack", "收到！"])
def test_the_acknowledging_words(sent, twilio_post, people, word):
    code = sent.incident.short_code
    twilio_post("/twilio/inbound/", inbound(people["police1"].mobile, f"{word} {code}"))
    assert Task.objects.get(incident=sent.incident, department__code="police").acknowledged_at is not None


@pytest.mark.parametrize(
    ("sender", "body", "result"),
    [
        ("+8613999999999", "{code} 收到", "unknown_sender"),
        (None, "ZZZZ 收到", "unknown_code"),
        (None, "{code}", "not_ack"),
    ],
)
def test_unknown_senders_and_codes_get_a_polite_answer_and_change_nothing(
    sent, twilio_post, people, sender, body, result
):
    before = IncidentEvent.objects.count()
    response = twilio_post(
        "/twilio/inbound/", inbound(sender or people["fire1"].mobile, body.format(code=sent.incident.short_code))
    )
    assert response.status_code == 200 and b"<Message>" in response.content
    assert IncidentEvent.objects.count() == before
    assert not Task.objects.filter(acknowledged_at__isnull=False).exists()
    assert InboundMessage.objects.get().result == result


def test_an_unsigned_reply_is_refused(sent, client, people):
    response = client.post("/twilio/inbound/", inbound(people["fire1"].mobile, f"{sent.incident.short_code} 收到"))
    assert response.status_code == 403
    assert not Task.objects.filter(acknowledged_at__isnull=False).exists()
    assert not InboundMessage.objects.exists()
