"""Twilio's status callbacks answered in front of Django (backend/alerts/status_webhook.py), as
the ASGI server runs them: backend.asgi.application driven in process against the test database.
A callback is answered 200 only once applied (by the one applier thread, in batches), a forged
one is refused, an early one is kept for its sid, and everything else still reaches Django."""

from __future__ import annotations

import asyncio
import threading
import uuid
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from asgiref.sync import async_to_sync
from asgiref.testing import ApplicationCommunicator
from django.db import connection
from django.http import QueryDict

from backend.alerts.models import Notification
from backend.alerts.services import sending, status
from backend.alerts.status_webhook import applier
from backend.asgi import application
from backend.incidents.models import IncidentEvent

from .conftest import T0, sign
from .test_orphan_callbacks import early, kept  # noqa: F401 - the fixture
from .test_status_batch import sent_notifications

pytestmark = pytest.mark.django_db(transaction=True)
S = Notification.Status
PATH = "/twilio/status/"


async def http(method: str, path: str, headers: list, body: bytes = b"") -> dict:
    """One HTTP request to the ASGI application: its status and body (channels.testing's
    HttpCommunicator needs daphne, which the project does not install)."""
    scope = {"type": "http", "http_version": "1.1", "method": method, "path": path, "query_string": b""}
    communicator = ApplicationCommunicator(application, {**scope, "headers": headers})
    await communicator.send_input({"type": "http.request", "body": body})
    start = await communicator.receive_output(30)
    assert start["type"] == "http.response.start"
    content = b""
    while True:
        message = await communicator.receive_output(30)
        content += message.get("body", b"")
        if not message.get("more_body"):
            break
    await communicator.wait(30)
    return {"status": start["status"], "body": content}


@pytest.fixture(autouse=True)
def applier_connection():
    yield
    applier.close_connection()  # the test database cannot be flushed or dropped under it


def form(params: dict) -> bytes:
    return urlencode(params).encode()


async def call(
    params: dict, *, signature: str | None = None, method: str = "POST", host: bytes = b"testserver", body=None
):
    signature = sign(PATH, params) if signature is None else signature
    headers = [
        (b"host", host),
        (b"content-type", b"application/x-www-form-urlencoded"),
        (b"x-twilio-signature", signature.encode()),
    ]
    return await http(method, PATH, headers, form(params) if body is None else body)


def post(params: dict, **kwargs) -> dict:
    return async_to_sync(call)(params, **kwargs)


def callback(notification: Notification, state: str, **extra) -> dict:
    return {"MessageSid": notification.provider_sid, "MessageStatus": state, "AccountSid": "AC", **extra}


def sms_events(notification: Notification) -> list[IncidentEvent]:
    rows = IncidentEvent.objects.filter(event_type="sms_status", data__notification=notification.pk)
    return list(rows.order_by("seq"))


@pytest.fixture
def sent(sandbox, open_incident):
    return sent_notifications(open_incident)[0]


def test_a_signed_callback_is_applied_before_the_200(sent):
    was = sent.status

    response = post(callback(sent, "delivered"))

    assert response["status"] == 200 and response["body"] == b""
    sent.refresh_from_db()
    assert sent.status == S.DELIVERED and sent.delivered_at is not None
    events = sms_events(sent)
    assert (events[-1].data["previous"], events[-1].data["status"]) == (was, "delivered")


def test_a_failure_keeps_its_error_code(sent):
    response = post(callback(sent, "undelivered", ErrorCode="30003", ErrorMessage="Unreachable"))

    assert response["status"] == 200
    sent.refresh_from_db()
    assert (sent.status, sent.error_code, sent.error_message) == (S.UNDELIVERED, "30003", "Unreachable")


@pytest.mark.parametrize("signature", ["", "bm90IGEgc2lnbmF0dXJl"])
def test_a_forged_callback_is_refused_and_changes_nothing(sent, signature):
    was, before = sent.status, len(sms_events(sent))

    response = post(callback(sent, "delivered"), signature=signature)

    assert response["status"] == 403 and response["body"] == b"invalid signature"
    sent.refresh_from_db()
    assert sent.status == was and len(sms_events(sent)) == before


def test_a_signature_over_other_fields_is_refused(sent):
    signature = sign(PATH, callback(sent, "sent"))
    assert post(callback(sent, "failed"), signature=signature)["status"] == 403
    sent.refresh_from_db()
    assert sent.status != S.FAILED


def test_repeated_fields_are_signed_as_twilio_signs_them(sent):
    """The validator reads the form as a QueryDict (getlist): a repeated field validates."""
    params = [
        ("MessageSid", sent.provider_sid),
        ("MessageStatus", "sent"),
        ("AccountSid", "AC"),
        ("Tag", "a"),
        ("Tag", "b"),
    ]
    body = urlencode(params)
    signature = sign(PATH, QueryDict(body))  # Twilio's own validator, over both values

    response = post({}, signature=signature, body=body.encode())

    assert response["status"] == 200
    sent.refresh_from_db()
    assert sent.status == S.SENT


def test_a_callback_for_an_unknown_sid_is_kept_and_applied_when_the_sid_is_stored(
    sandbox,
    early,  # noqa: F811 - the imported fixture
    open_incident,
    people,
):
    open_incident()
    notification = Notification.objects.get(contact=people["fire1"])
    answers = []

    def overtake(sid):
        for state in ("delivered", "sent"):  # out of order, before the sid is stored
            answers.append(post({"MessageSid": sid, "MessageStatus": state, "AccountSid": "AC"})["status"])
        assert set(kept(sid)) == {"delivered", "sent"}

    early(overtake)
    assert sending.send(notification.pk, now=T0).result == "sent"

    assert answers == [200, 200]
    notification.refresh_from_db()
    assert notification.status == S.DELIVERED
    steps = [(e.data["previous"], e.data["status"]) for e in sms_events(notification)]
    assert steps[-2:] == [("accepted", "sent"), ("sent", "delivered")]
    assert kept(notification.provider_sid) == {}


def test_an_unknown_sid_that_is_never_stored_stays_kept(sandbox):
    sid = "SM" + uuid.uuid4().hex
    assert (
        post({"MessageSid": sid, "MessageStatus": "failed", "AccountSid": "AC", "ErrorCode": "30006"})["status"] == 200
    )
    assert kept(sid)["failed"]["error_code"] == "30006"
    assert status.apply_orphans(sid) == []  # still no notification: kept for later


def test_an_oversized_body_is_refused_with_413(sent, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 200
    was = sent.status
    params = callback(sent, "delivered", Padding="x" * 300)

    response = post(params)

    assert response["status"] == 413
    sent.refresh_from_db()
    assert sent.status == was


def test_a_host_not_allowed_gets_djangos_400(sent):
    was = sent.status
    assert post(callback(sent, "delivered"), host=b"evil.example")["status"] == 400
    sent.refresh_from_db()
    assert sent.status == was


def test_other_methods_and_paths_still_reach_django(sent):
    assert post(callback(sent, "delivered"), method="GET")["status"] == 405  # require_POST
    sent.refresh_from_db()
    assert sent.status != S.DELIVERED

    async def login_page():
        return await http("GET", "/accounts/login/", [(b"host", b"testserver")])

    assert async_to_sync(login_page)()["status"] == 200


def test_a_burst_is_applied_in_fewer_transactions_than_callbacks(sandbox, open_incident, monkeypatch):
    rows = sent_notifications(open_incident)
    incident = rows[0].incident_id
    batches = []
    real = status.apply_statuses

    def counted(callbacks):  # one call, one transaction (status.apply_statuses is atomic)
        batches.append((len(callbacks), threading.current_thread().name))
        return real(callbacks)

    monkeypatch.setattr(status, "apply_statuses", counted)

    async def burst():
        return await asyncio.gather(*(call(callback(n, s)) for n in rows for s in ("sent", "delivered")))

    answers = async_to_sync(burst)()

    assert [a["status"] for a in answers] == [200] * len(rows) * 2
    assert sum(size for size, _ in batches) == len(rows) * 2
    assert len(batches) < len(rows) * 2, "callbacks arriving together share a transaction"
    assert {thread.split("_")[0] for _, thread in batches} == {"status-applier"}  # one thread, its connection
    # Every 200 came after its commit: all are applied by now.
    assert set(Notification.objects.filter(pk__in=[n.pk for n in rows]).values_list("status", flat=True)) == {
        S.DELIVERED
    }
    seqs = list(IncidentEvent.objects.filter(incident_id=incident).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))


def test_the_applier_recovers_a_connection_the_database_dropped(sandbox, open_incident, monkeypatch):
    first, second = sent_notifications(open_incident)[:2]
    threads = []
    real = status.apply_statuses

    def recorded(callbacks):
        threads.append(threading.current_thread().name)
        return real(callbacks)

    monkeypatch.setattr(status, "apply_statuses", recorded)
    assert post(callback(first, "delivered"))["status"] == 200

    def backend_pid():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            return cursor.fetchone()[0]

    pid = applier.executor.submit(backend_pid).result()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(%s)", [pid])  # as a PostgreSQL restart does

    assert post(callback(second, "delivered"))["status"] == 200
    second.refresh_from_db()
    assert second.status == S.DELIVERED
    assert applier.executor.submit(backend_pid).result() != pid
    # Both applied by the applier thread (not by Django's view in a request thread).
    assert len(threads) == 2 and all(name.startswith("status-applier") for name in threads)


def test_a_batch_writes_each_rows_own_times_and_errors(sandbox, open_incident):
    """status._write (one UPDATE ... FROM VALUES for a batch) stores each row's own values."""
    first, second, third = sent_notifications(open_incident)[:3]
    at = [T0 + timedelta(seconds=s) for s in (1, 2, 3)]
    status.apply_statuses(
        [
            {"sid": first.provider_sid, "status": "delivered", "now": at[0]},
            {"sid": second.provider_sid, "status": "delivered", "now": at[1]},
            {"sid": third.provider_sid, "status": "failed", "error_code": "30008", "error_message": "x", "now": at[2]},
        ]
    )
    for row in (first, second, third):
        row.refresh_from_db()
    assert (first.status, first.delivered_at, first.status_at) == (S.DELIVERED, at[0], at[0])
    assert (second.status, second.delivered_at) == (S.DELIVERED, at[1])
    assert (third.status, third.failed_at) == (S.FAILED, at[2])
    assert (third.error_code, third.error_message) == ("30008", "x")
    assert third.delivered_at is None
