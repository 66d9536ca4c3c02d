"""Sockets (issue #12, item 10): a malformed frame gets an error, not a crashed consumer; a
per-socket size and rate limit; a socket whose user is deactivated or whose token is deleted
is closed with 4401 within 30 s; an open page's socket keeps its session alive.
All through a real uvicorn and the real Redis channel layer."""

from __future__ import annotations

import json
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from backend.directory import session_idle
from tests.incidents.conftest import hebei, open_water_incident, river  # noqa: F401  (fixtures)
from tests.support.servers import asgi_server

pytestmark = pytest.mark.django_db(transaction=True)

FAST = {
    "SOCKET_RECHECK_SECONDS": "1",
    "SOCKET_SESSION_TOUCH_SECONDS": "1",
    "SOCKET_MAX_MESSAGE_BYTES": "2048",
    "SOCKET_MESSAGES_PER_SECOND": "5",
    "SOCKET_MESSAGE_BURST": "8",
    "SESSION_IDLE_MINUTES": "10",
}


@pytest.fixture(scope="module")
def fast_asgi(django_db_setup, django_db_blocker):
    """A server whose sockets re-check every second, with small message limits."""
    with asgi_server(**FAST) as base:
        yield base


def ws(base: str, path: str, **kwargs):
    return connect(base.replace("http://", "ws://") + path, origin=base, compression=None, open_timeout=10, **kwargs)


@contextmanager
def board_with_token(base, user):
    with ws(base, "/ws/board/") as sock:
        sock.send(json.dumps({"type": "auth", "token": Token.objects.get_or_create(user=user)[0].key}))
        yield sock


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def next_of_type(sock, kind: str, timeout: float = 10) -> dict:
    deadline = time.monotonic() + timeout
    while True:
        message = json.loads(sock.recv(timeout=max(deadline - time.monotonic(), 0.1)))
        if message["type"] == kind:
            return message


def close_code(sock, timeout: float) -> int:
    """Read until the server closes; the close code it sent."""
    deadline = time.monotonic() + timeout
    with pytest.raises(ConnectionClosed) as closed:
        while True:
            sock.recv(timeout=max(deadline - time.monotonic(), 0.1))
    return closed.value.rcvd.code


@pytest.mark.parametrize(
    "frame",
    ["not json {", "[1, 2, 3]", "42", '"a string"', b"\x00\x01binary", '{"type": "resume", "after": 1e999}',
     '{"type": "resume", "after": 99999999999999999999999}', '{"type": "auth", "token": {"x": 1}}'],
)  # fmt: skip
def test_a_malformed_frame_gets_an_error_and_the_socket_lives_on(fast_asgi, duty_officer, open_water_incident, frame):  # noqa: F811
    incident = open_water_incident()
    with ws(fast_asgi, f"/ws/incidents/{incident['id']}/") as sock:
        sock.send(json.dumps({"type": "auth", "token": Token.objects.get_or_create(user=duty_officer)[0].key}))
        sock.send(frame)
        if "auth" in str(frame):  # a token that is not a string: refused like a wrong one
            assert close_code(sock, 10) == 4401
            return
        assert next_of_type(sock, "error")["detail"]
        sock.send(json.dumps({"type": "ping"}))
        assert next_of_type(sock, "pong") == {"type": "pong"}


def test_the_desk_socket_answers_malformed_frames_too(fast_asgi, duty_officer):
    cookie = {"Cookie": f"sessionid={session_cookie(duty_officer)}"}
    with ws(fast_asgi, "/ws/desk/", additional_headers=cookie) as sock:
        assert next_of_type(sock, "hello")["user"] == duty_officer.username
        sock.send("{{{")
        assert next_of_type(sock, "error")["detail"] == "malformed JSON"
        sock.send("[]")
        assert next_of_type(sock, "error")
        sock.send(json.dumps({"type": "ping", "echo": 7}))
        assert next_of_type(sock, "pong")["echo"] == 7


def test_an_oversized_frame_closes_the_socket_with_1009(fast_asgi, duty_officer):
    with board_with_token(fast_asgi, duty_officer) as sock:
        sock.send(json.dumps({"type": "ping", "padding": "x" * 4096}))
        assert "too large" in next_of_type(sock, "error")["detail"]
        assert close_code(sock, 10) == 1009


def test_a_flood_of_messages_is_dropped_then_closed_with_4429(fast_asgi, duty_officer):
    with board_with_token(fast_asgi, duty_officer) as sock:
        for _ in range(40):
            sock.send(json.dumps({"type": "ping"}))
        received = []
        with pytest.raises(ConnectionClosed) as closed:
            while True:
                received.append(json.loads(sock.recv(timeout=10)))
        assert closed.value.rcvd.code == 4429
        pongs = [m for m in received if m["type"] == "pong"]
        errors = [m for m in received if m["type"] == "error"]
        assert 1 <= len(pongs) <= 10  # the burst (8), and what refilled meanwhile
        assert len(errors) == 1 and "too many" in errors[0]["detail"]


def test_a_steady_client_within_the_rate_is_never_limited(fast_asgi, duty_officer):
    with board_with_token(fast_asgi, duty_officer) as sock:
        for _ in range(12):
            sock.send(json.dumps({"type": "ping"}))
            assert next_of_type(sock, "pong")
            time.sleep(0.25)  # 4 a second, under the limit of 5


def test_deactivating_the_user_closes_their_sockets_with_4401(fast_asgi, duty_officer):
    cookie = {"Cookie": f"sessionid={session_cookie(duty_officer)}"}
    desk_socket = ws(fast_asgi, "/ws/desk/", additional_headers=cookie)
    with board_with_token(fast_asgi, duty_officer) as by_token, desk_socket as desk:
        next_of_type(desk, "hello")
        by_token.send(json.dumps({"type": "ping"}))
        next_of_type(by_token, "pong")
        duty_officer.is_active = False
        duty_officer.save()
        assert close_code(by_token, 5) == 4401
        assert close_code(desk, 5) == 4401


def test_deleting_or_expiring_the_token_closes_the_socket(fast_asgi, duty_officer, viewer):
    with board_with_token(fast_asgi, duty_officer) as sock:
        sock.send(json.dumps({"type": "ping"}))
        next_of_type(sock, "pong")
        Token.objects.filter(user=duty_officer).delete()
        assert close_code(sock, 5) == 4401
    with board_with_token(fast_asgi, viewer) as sock:
        sock.send(json.dumps({"type": "ping"}))
        next_of_type(sock, "pong")
        Token.objects.filter(user=viewer).update(created=timezone.now() - timedelta(hours=721))
        assert close_code(sock, 5) == 4401


def test_an_expired_token_cannot_open_a_socket(fast_asgi, viewer):
    Token.objects.get_or_create(user=viewer)
    Token.objects.filter(user=viewer).update(created=timezone.now() - timedelta(hours=721))
    with board_with_token(fast_asgi, viewer) as sock:
        assert close_code(sock, 10) == 4401


def test_an_open_socket_keeps_the_session_in_use_and_a_logout_closes_it(fast_asgi, duty_officer):
    key = session_cookie(duty_officer)
    with ws(fast_asgi, "/ws/desk/", additional_headers={"Cookie": f"sessionid={key}"}) as sock:
        next_of_type(sock, "hello")
        session = SessionStore(session_key=key)
        session[session_idle.LAST_USE_KEY] = int(time.time()) - 9 * 60  # 9 of the 10 idle minutes
        session.save()
        deadline = time.monotonic() + 10
        while SessionStore(session_key=key).get(session_idle.LAST_USE_KEY) < time.time() - 60:
            assert time.monotonic() < deadline, "the socket did not mark the session used"
            time.sleep(0.3)
        # The HTTP side sees a session in use: still signed in.
        client = Client()
        client.cookies["sessionid"] = key
        assert client.get("/").status_code == 200

        SessionStore(session_key=key).delete()  # logged out elsewhere
        assert close_code(sock, 5) == 4401
    assert not SessionStore().exists(key)  # the socket did not bring the session back


def test_an_idle_expired_session_cannot_open_a_socket(fast_asgi, duty_officer):
    key = session_cookie(duty_officer)
    session = SessionStore(session_key=key)
    session[session_idle.LAST_USE_KEY] = int(time.time()) - 11 * 60
    session.save()
    with ws(fast_asgi, "/ws/desk/", additional_headers={"Cookie": f"sessionid={key}"}) as sock:
        assert close_code(sock, 10) == 4401


def test_with_default_settings_a_deactivated_user_is_closed_within_30_seconds(live_asgi, duty_officer):
    with board_with_token(live_asgi, duty_officer) as sock:
        sock.send(json.dumps({"type": "ping"}))
        next_of_type(sock, "pong")
        duty_officer.is_active = False
        duty_officer.save()
        started = time.monotonic()
        assert close_code(sock, 32) == 4401
        assert time.monotonic() - started <= 30
