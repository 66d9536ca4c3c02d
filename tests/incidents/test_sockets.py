"""The board's sockets through the real Redis channel layer and a real ASGI server: auth by
token or session, resume after a missed window, a server restart between two connections,
close codes, and the board feed."""

from __future__ import annotations

import json
import time
from datetime import datetime

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from backend.incidents import services
from backend.incidents.models import Incident
from tests.support.servers import asgi_server

pytestmark = pytest.mark.django_db(transaction=True)


def ws(base: str, path: str, **kwargs):
    return connect(base.replace("http://", "ws://") + path, origin=base, compression=None, open_timeout=10, **kwargs)


def token(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key


def receive_events(sock, count: int) -> list[dict]:
    got = []
    while len(got) < count:
        message = json.loads(sock.recv(timeout=10))
        if message["type"] == "event":
            got.append(message)
    return got


def test_token_auth_then_resume_gets_the_backlog_then_live_events(live_asgi, duty_officer, open_water_incident):
    body = open_water_incident()
    incident = Incident.objects.get(pk=body["id"])
    backlog = incident.last_seq
    with ws(live_asgi, f"/ws/incidents/{incident.pk}/") as sock:
        sock.send(json.dumps({"type": "auth", "token": token(duty_officer)}))
        sock.send(json.dumps({"type": "resume", "after": 0}))
        first = receive_events(sock, backlog)
        assert [e["seq"] for e in first] == list(range(1, backlog + 1))
        assert set(first[0]) == {"type", "seq", "event_type", "at", "actor", "data"}
        assert first[0]["event_type"] == "opened"

        services.add_note(incident, "现场已封控", actor=duty_officer)
        live = receive_events(sock, 1)[0]
        assert live["seq"] == backlog + 1
        assert live["event_type"] == "note" and live["data"] == {"text": "现场已封控"}


def test_a_reconnecting_client_gets_exactly_what_it_missed(live_asgi, duty_officer, open_water_incident):
    body = open_water_incident()
    incident = Incident.objects.get(pk=body["id"])
    with ws(live_asgi, f"/ws/incidents/{incident.pk}/") as sock:
        sock.send(json.dumps({"type": "auth", "token": token(duty_officer)}))
        sock.send(json.dumps({"type": "resume", "after": 0}))
        seen = receive_events(sock, incident.last_seq)
    last_seen = seen[-1]["seq"]
    for i in range(3):  # written while the client was away
        services.add_note(incident, f"离线期间 {i}")
    with ws(live_asgi, f"/ws/incidents/{incident.pk}/") as sock:
        sock.send(json.dumps({"type": "auth", "token": token(duty_officer)}))
        sock.send(json.dumps({"type": "resume", "after": last_seen}))
        missed = receive_events(sock, 3)
        assert [e["seq"] for e in missed] == [last_seen + 1, last_seen + 2, last_seen + 3]
        services.add_note(incident, "回来之后")
        assert receive_events(sock, 1)[0]["seq"] == last_seen + 4
        with pytest.raises(TimeoutError):
            sock.recv(timeout=1)  # nothing twice


def test_nothing_is_lost_when_the_server_restarts_between_connections(duty_officer, open_water_incident):
    body = open_water_incident()
    incident = Incident.objects.get(pk=body["id"])
    with asgi_server() as base:
        with ws(base, f"/ws/incidents/{incident.pk}/") as sock:
            sock.send(json.dumps({"type": "auth", "token": token(duty_officer)}))
            sock.send(json.dumps({"type": "resume", "after": 0}))
            last_seen = receive_events(sock, incident.last_seq)[-1]["seq"]
    services.add_note(incident, "服务器重启期间写入")
    with asgi_server() as base:  # a new process
        with ws(base, f"/ws/incidents/{incident.pk}/") as sock:
            sock.send(json.dumps({"type": "auth", "token": token(duty_officer)}))
            sock.send(json.dumps({"type": "resume", "after": last_seen}))
            event = receive_events(sock, 1)[0]
            assert event["seq"] == last_seen + 1 and event["data"]["text"] == "服务器重启期间写入"


def test_a_browser_session_needs_no_auth_message(live_asgi, duty_officer, open_water_incident):
    body = open_water_incident()
    client = Client()
    client.force_login(duty_officer)
    cookie = f"sessionid={client.cookies['sessionid'].value}"
    with ws(live_asgi, f"/ws/incidents/{body['id']}/", additional_headers={"Cookie": cookie}) as sock:
        sock.send(json.dumps({"type": "resume", "after": 0}))
        assert receive_events(sock, 1)[0]["seq"] == 1


def closed_with(sock) -> int:
    with pytest.raises(ConnectionClosed) as caught:
        for _ in range(50):
            sock.recv(timeout=10)
    return caught.value.rcvd.code


def test_close_codes(live_asgi, viewer, open_water_incident):
    drill = open_water_incident(exercise=True)
    with ws(live_asgi, f"/ws/incidents/{drill['id']}/") as sock:  # no auth at all
        sock.send(json.dumps({"type": "resume", "after": 0}))
        assert closed_with(sock) == 4401
    with ws(live_asgi, f"/ws/incidents/{drill['id']}/") as sock:  # a forged token
        sock.send(json.dumps({"type": "auth", "token": "f" * 40}))
        assert closed_with(sock) == 4401
    with ws(live_asgi, f"/ws/incidents/{drill['id']}/") as sock:  # a viewer may not see a drill
        sock.send(json.dumps({"type": "auth", "token": token(viewer)}))
        sock.send(json.dumps({"type": "resume", "after": 0}))
        assert closed_with(sock) == 4403


def test_a_socket_from_another_origin_is_refused(live_asgi, open_water_incident):
    body = open_water_incident()
    from websockets.exceptions import InvalidStatus

    with pytest.raises(InvalidStatus) as caught:
        connect(live_asgi.replace("http://", "ws://") + f"/ws/incidents/{body['id']}/", origin="http://evil.example")
    assert caught.value.response.status_code == 403


def test_a_program_without_an_origin_authenticates_by_token(live_asgi, duty_officer, open_water_incident):
    # Browsers always send an Origin; a program (no cookies to abuse) may not, and uses its token.
    body = open_water_incident()
    url = live_asgi.replace("http://", "ws://") + f"/ws/incidents/{body['id']}/"
    with connect(url, compression=None, open_timeout=10) as sock:
        sock.send(json.dumps({"type": "auth", "token": token(duty_officer)}))
        sock.send(json.dumps({"type": "resume", "after": 0}))
        assert receive_events(sock, 1)[0]["event_type"] == "opened"
    with connect(url, compression=None, open_timeout=10) as sock:  # and without a token: 4401
        sock.send(json.dumps({"type": "resume", "after": 0}))
        assert closed_with(sock) == 4401


def test_a_socket_that_never_authenticates_is_closed_with_4401(live_asgi, open_water_incident):
    body = open_water_incident()
    with ws(live_asgi, f"/ws/incidents/{body['id']}/") as sock:
        started = time.monotonic()
        assert closed_with(sock) == 4401
        assert time.monotonic() - started < 8


def test_messages_sent_right_behind_a_refused_auth_get_nothing(live_asgi, viewer, open_water_incident):
    drill = open_water_incident(exercise=True)
    with ws(live_asgi, f"/ws/incidents/{drill['id']}/") as sock:
        # All at once, as a client does: the resume and ping arrive before the client sees 4403.
        sock.send(json.dumps({"type": "auth", "token": token(viewer)}))
        sock.send(json.dumps({"type": "resume", "after": 0}))
        sock.send(json.dumps({"type": "ping"}))
        received = []
        with pytest.raises(ConnectionClosed) as caught:
            while True:
                received.append(json.loads(sock.recv(timeout=10)))
        assert caught.value.rcvd.code == 4403
        assert received == []


def test_an_incident_that_does_not_exist_is_closed_like_one_not_visible(live_asgi, duty_officer):
    with ws(live_asgi, "/ws/incidents/999999/") as sock:
        sock.send(json.dumps({"type": "auth", "token": token(duty_officer)}))
        sock.send(json.dumps({"type": "resume", "after": 0}))
        assert closed_with(sock) == 4403


def test_the_board_lists_open_incidents_then_follows_changes(live_asgi, duty_officer, viewer, open_water_incident):
    real = open_water_incident(pollutant="cod", mass_kg=50_000)  # predicted above the intake's limit: II
    drill = open_water_incident(exercise=True)
    with ws(live_asgi, "/ws/board/") as officer, ws(live_asgi, "/ws/board/") as outsider:
        officer.send(json.dumps({"type": "auth", "token": token(duty_officer)}))
        outsider.send(json.dumps({"type": "auth", "token": token(viewer)}))
        first = [json.loads(officer.recv(timeout=10)) for _ in range(2)]
        assert {m["data"]["id"] for m in first} == {real["id"], drill["id"]}
        summary = next(m["data"] for m in first if m["data"]["id"] == real["id"])
        assert summary["short_code"] == real["short_code"] and summary["river"] == "hutuo-t"
        assert summary["open_tasks"] == len(real["tasks"]) and summary["level"] == 2
        # The board shows ages without a request.
        assert datetime.fromisoformat(summary["reported_at"]) == datetime.fromisoformat(real["reported_at"])
        assert set(summary) == {
            "id",
            "short_code",
            "title",
            "level",
            "status",
            "exercise",
            "river",
            "open_tasks",
            "overdue_tasks",
            "updated_at",
            "reported_at",
        }  # exactly the fields the board shows; nothing internal
        assert json.loads(outsider.recv(timeout=10))["data"]["id"] == real["id"]  # not the drill

        services.change_level(Incident.objects.get(pk=real["id"]), 3, "已切换水源", actor=duty_officer)
        update = json.loads(officer.recv(timeout=10))
        assert update["type"] == "incident" and update["data"]["level"] == 3
        assert set(update) == {"type", "data"} and set(update["data"]) == set(summary)
        assert json.loads(outsider.recv(timeout=10))["data"]["level"] == 3
        services.add_note(Incident.objects.get(pk=drill["id"]), "演练备注")
        assert json.loads(officer.recv(timeout=10))["data"]["id"] == drill["id"]
        with pytest.raises(TimeoutError):
            outsider.recv(timeout=1)


def test_events_appended_as_one_batch_arrive_one_by_one_in_order(live_asgi, duty_officer, open_water_incident):
    """A burst (e.g. status callbacks applied together) is one channel-layer message
    (incident.events); each socket still gets one `event` frame per event, in seq order."""
    from django.db import transaction

    from backend.incidents.services.lifecycle import append_events

    body = open_water_incident()
    incident = Incident.objects.get(pk=body["id"])
    backlog = incident.last_seq
    with ws(live_asgi, f"/ws/incidents/{incident.pk}/") as sock:
        sock.send(json.dumps({"type": "auth", "token": token(duty_officer)}))
        sock.send(json.dumps({"type": "resume", "after": 0}))
        receive_events(sock, backlog)
        with transaction.atomic():
            append_events(incident.pk, [("note", {"text": f"批量{i}"}, None) for i in range(5)], actor_name="测试")
        live = receive_events(sock, 5)
        assert [e["seq"] for e in live] == list(range(backlog + 1, backlog + 6))
        assert [e["data"]["text"] for e in live] == [f"批量{i}" for i in range(5)]
        assert all(set(e) == {"type", "seq", "event_type", "at", "actor", "data"} for e in live)
