"""The real stack end to end: a Channels consumer reached through the Redis channel layer
and a real ASGI server, a Celery task run by a real worker process, and /healthz."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from backend import periodic
from backend.directory import services
from backend.directory.broadcast import notify_desk
from backend.directory.tasks import check_roster_coverage

pytestmark = pytest.mark.django_db(transaction=True)


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return f"sessionid={client.cookies['sessionid'].value}"


def ws_url(base: str, path: str) -> str:
    return base.replace("http://", "ws://") + path


def test_a_signed_in_socket_receives_what_the_server_publishes(live_asgi, duty_officer):
    headers = {"Cookie": session_cookie(duty_officer)}
    with connect(ws_url(live_asgi, "/ws/desk/"), origin=live_asgi, additional_headers=headers, compression=None) as ws:
        hello = json.loads(ws.recv(timeout=10))
        assert hello == {"type": "hello", "user": "duty"}

        ws.send(json.dumps({"type": "ping", "echo": 7}))
        assert json.loads(ws.recv(timeout=10)) == {"type": "pong", "echo": 7}

        # Published from this (other) process through the Redis channel layer, after commit.
        with transaction.atomic():
            notify_desk("消防支队已更新值班表")
        assert json.loads(ws.recv(timeout=10)) == {"type": "notice", "text": "消防支队已更新值班表"}


def test_an_anonymous_socket_is_closed(live_asgi, departments):
    with connect(ws_url(live_asgi, "/ws/desk/"), origin=live_asgi, compression=None) as ws:
        with pytest.raises(Exception) as caught:
            ws.recv(timeout=10)
    assert getattr(caught.value, "rcvd", None) is not None
    assert caught.value.rcvd.code == 4401


def test_a_socket_from_another_origin_is_refused(live_asgi, duty_officer):
    headers = {"Cookie": session_cookie(duty_officer)}
    with pytest.raises(InvalidStatus) as caught:
        connect(ws_url(live_asgi, "/ws/desk/"), origin="http://evil.example", additional_headers=headers)
    assert caught.value.response.status_code == 403


@pytest.mark.worker
def test_a_celery_task_runs_in_a_real_worker(celery_worker_process, departments):
    fire = departments["fire"]
    chen = services.save_contact(department=fire, name="陈磊", mobile="13800000001")
    now = timezone.now()
    services.save_shift(department=fire, contact=chen, start=now - timedelta(hours=1), end=now + timedelta(hours=6))

    result = check_roster_coverage.delay(24)
    gaps = result.get(timeout=30)

    assert result.successful()
    assert set(gaps) == set(departments)
    # The worker read this test's committed roster: fire is covered for the first 6 hours.
    fire_gap_start = timezone.datetime.fromisoformat(gaps["fire"][0][0])
    assert abs((fire_gap_start - (now + timedelta(hours=6))).total_seconds()) < 1
    assert len(gaps["police"]) == 1
    assert celery_worker_process.poll() is None


@pytest.mark.worker
def test_healthz_is_ok_when_everything_answers(celery_worker_process, client, viewer):
    periodic.record_run("drills.tick")  # beat's part is tested in tests/alerts/test_periodic_work.py
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 200, body
    assert body["status"] == "ok"
    assert body["database"]["ok"] and body["redis"]["ok"] and body["celery"]["ok"] and body["beat"]["ok"]
    # Versions and worker host names only for signed-in users (tests/security/test_secack_health.py).
    assert body["celery"]["detail"] == "ok" and "@" not in response.content.decode()
    client.force_login(viewer)
    body = client.get("/healthz").json()
    assert body["database"]["detail"].startswith("postgis")
    assert all("@" in name for name in body["celery"]["detail"])


def test_healthz_is_503_when_redis_is_unreachable(client, settings, viewer):
    client.force_login(viewer)  # the error text is for signed-in users only
    # Never stop the shared Redis: point the checks at a port where nothing listens.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.HEALTHZ_TIMEOUT_SECONDS = 0.5
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503
    assert body["status"] == "unavailable"
    assert body["database"]["ok"] is True
    assert body["redis"]["ok"] is False
    assert "Connection" in body["redis"]["detail"]
    assert body["celery"]["ok"] is False
