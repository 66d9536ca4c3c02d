"""Issue 11, SMS at incident scale: a batch task claims a few messages together and has them at
the provider at once (sending.send_many), with every guarantee of a single send."""

from __future__ import annotations

import http.client
import re
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend.alerts import tasks
from backend.alerts.models import Notification
from backend.alerts.providers.twilio import TwilioProvider
from backend.alerts.services import sending, status, tokens
from backend.directory.models import Contact
from backend.incidents.models import IncidentEvent

from .conftest import ENV, SANDBOX_PORT, T0
from .test_batched_alerts import add_on_duty

pytestmark = pytest.mark.django_db
S = Notification.Status


def queued_ids(incident) -> list[int]:
    return list(Notification.objects.filter(incident=incident).order_by("pk").values_list("pk", flat=True))


def test_a_group_is_claimed_together_and_at_the_provider_at_once(sandbox, settings, open_incident):
    ids = queued_ids(open_incident())
    assert len(ids) >= 3
    settings.SMS_SEND_CONCURRENCY = len(ids)
    for to in Notification.objects.filter(pk__in=ids).values_list("to", flat=True):
        sandbox.hold(to, 0.4)  # a slow provider: one after the other would take 0.4 s each

    outcomes = sending.send_many(ids, now=T0)

    assert {pk: o.result for pk, o in outcomes.items()} == dict.fromkeys(ids, "sent")
    arrived = sorted(m["received_monotonic"] for m in sandbox.messages)
    assert len(arrived) == len(ids) and arrived[-1] - arrived[0] < 0.4
    by_sid = {m["sid"]: m for m in sandbox.messages}
    seen_tokens = set()
    for notification in Notification.objects.filter(pk__in=ids).select_related("ack_token"):
        assert notification.status == S.ACCEPTED and notification.attempts == 1
        assert notification.sent_at == T0 and notification.claimed_at == T0
        message = by_sid[notification.provider_sid]
        assert message["to"] == notification.to
        # Each message carries its own live link, whose key only its token's hash matches.
        key = re.search(r"/a/(\w{12})", message["body"]).group(1)
        assert notification.ack_token.key_hash == tokens.key_hash(key)
        assert notification.ack_token.contact_id == notification.contact_id
        assert "/a/…" in notification.body and key not in notification.body  # stored redacted
        seen_tokens.add(notification.ack_token_id)
    assert len(seen_tokens) == len(ids)


def test_a_group_costs_the_same_queries_for_two_messages_as_for_ten(sandbox, settings, open_incident, departments):
    add_on_duty(departments, 3, 500)
    ids = queued_ids(open_incident())
    assert len(ids) == 12
    settings.SMS_SEND_CONCURRENCY = len(ids)

    with CaptureQueriesContext(connection) as two:
        sending.send_many(ids[:2], now=T0)
    with CaptureQueriesContext(connection) as rest:
        sending.send_many(ids[2:], now=T0)

    # The claim (lock, tokens, update) in one transaction, then the answers in one update.
    assert len(two) == len(rest) <= 6
    assert Notification.objects.filter(pk__in=ids, status=S.ACCEPTED).count() == len(ids)


def test_a_group_sent_again_sends_nothing_twice(sandbox, settings, open_incident):
    ids = queued_ids(open_incident())
    settings.SMS_SEND_CONCURRENCY = len(ids)

    sending.send_many(ids, now=T0)
    again = sending.send_many(ids, now=T0)

    assert {o.result for o in again.values()} == {"skipped"}
    assert len(sandbox.messages) == len(ids)


def test_in_a_group_a_bad_number_fails_a_refusal_waits_and_the_others_go(sandbox, settings, open_incident, people):
    ids = queued_ids(open_incident())
    settings.SMS_SEND_CONCURRENCY = len(ids)
    bad, busy = Notification.objects.get(pk=ids[0]), Notification.objects.get(pk=ids[1])
    Contact.objects.filter(pk=bad.contact_id).update(number_status=Contact.NumberStatus.BAD, number_error="21211")
    sandbox.fail_next(busy.to, 503, None, "busy")

    outcomes = sending.send_many(ids, now=T0)

    assert outcomes[bad.pk].result == "failed"
    assert outcomes[busy.pk].result == "retry" and outcomes[busy.pk].retry_in == 5
    assert {outcomes[pk].result for pk in ids[2:]} == {"sent"}
    bad.refresh_from_db()
    busy.refresh_from_db()
    assert bad.status == S.FAILED and bad.error_code == "number"
    assert busy.status == S.QUEUED and busy.error_code == "503" and busy.attempts == 1
    assert busy.send_after > T0
    assert not [m for m in sandbox.messages if m["to"] == bad.to]  # never sent to the bad number
    failed = IncidentEvent.objects.filter(event_type="sms_status", data__notification=bad.pk)
    assert [e.data["status"] for e in failed] == ["failed"]


class OvertakenProvider(TwilioProvider):
    """The provider's `delivered` callback arrives before the worker stores the sid."""

    def send(self, to: str, body: str, status_callback: str) -> str:
        sid = super().send(to, body, status_callback)
        status.keep_orphan(sid, "delivered")
        return sid


def test_callbacks_that_overtook_a_grouped_send_are_applied_when_the_sids_are_stored(sandbox, settings, open_incident):
    ids = queued_ids(open_incident())
    settings.SMS_SEND_CONCURRENCY = len(ids)
    settings.SMS_PROVIDER = f"{__name__}.OvertakenProvider"

    sending.send_many(ids, now=T0)

    assert set(Notification.objects.filter(pk__in=ids).values_list("status", flat=True)) == {S.DELIVERED}
    events = IncidentEvent.objects.filter(event_type="sms_status", data__notification__in=ids)
    assert sorted(e.data["notification"] for e in events if e.data["status"] == "delivered") == ids


def test_a_batch_waits_for_the_first_token_of_a_group_only(sandbox, settings, open_incident, monkeypatch):
    ids = queued_ids(open_incident())
    settings.SMS_SEND_CONCURRENCY = 3
    waits = []

    def acquire(max_wait):
        waits.append(max_wait)
        return max_wait > 0 or len(waits) % 3 != 0  # the third token of each group is not free

    monkeypatch.setattr(tasks.ratelimit, "acquire", acquire)

    result = tasks.send_notifications(ids)

    assert result == {"sent": len(ids)}
    assert len(sandbox.messages) == len(ids)
    # A group starts by waiting for a token; the others join only if one is free at once.
    assert waits[:3] == [20, 0, 0] and waits[3] == 20


def test_the_sandbox_answers_each_request_of_a_kept_alive_connection_at_once(sandbox):
    """One write per answer: the headers and the body in two left the body to Nagle's
    algorithm until the client's delayed ACK, about 40 ms per request."""
    conn = http.client.HTTPConnection("127.0.0.1", SANDBOX_PORT, timeout=5)
    path = f"/2010-04-01/Accounts/{ENV['TWILIO_ACCOUNT_SID']}/Messages.json"
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Authorization": _basic()}
    took = []
    for n in range(10):
        began = time.monotonic()
        conn.request("POST", path, body=f"To=%2B8613800000{n:03d}&From=%2B15005550006&Body=hi", headers=headers)
        response = conn.getresponse()
        assert response.status == 201 and response.read()
        took.append(time.monotonic() - began)
    conn.close()
    assert len(sandbox.messages) == 10
    assert sorted(took)[5] < 0.02, took  # the median; a stalled answer takes 40 ms or more


def _basic() -> str:
    import base64

    pair = f"{ENV['TWILIO_ACCOUNT_SID']}:{ENV['TWILIO_AUTH_TOKEN']}".encode()
    return "Basic " + base64.b64encode(pair).decode()
