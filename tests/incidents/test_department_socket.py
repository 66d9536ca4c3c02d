"""The department (phone) page's typed task events on /ws/board/ (docs/events.md, "Sockets"),
through a real ASGI server and the real Redis channel layer."""

from __future__ import annotations

import json

import pytest
from rest_framework.authtoken.models import Token
from websockets.sync.client import connect

from backend.incidents import services
from backend.incidents.models import Task

pytestmark = pytest.mark.django_db(transaction=True)


def ws(base: str, path: str):
    return connect(base.replace("http://", "ws://") + path, origin=base, compression=None, open_timeout=10)


def login(sock, user) -> None:
    sock.send(json.dumps({"type": "auth", "token": Token.objects.get_or_create(user=user)[0].key}))


def next_of(sock, kind: str, timeout: float = 10) -> dict:
    while True:
        message = json.loads(sock.recv(timeout=timeout))
        if message["type"] == kind:
            return message


def no_more(sock, kind: str, timeout: float = 1.5) -> None:
    with pytest.raises(TimeoutError):
        next_of(sock, kind, timeout=timeout)


def test_a_liaison_gets_typed_task_events_for_their_department_only(live_asgi, fire_liaison, open_water_incident):
    body = open_water_incident()
    with ws(live_asgi, "/ws/board/") as phone:
        login(phone, fire_liaison)
        phone.send(json.dumps({"type": "tasks"}))
        assert next_of(phone, "tasks.subscribed") == {"type": "tasks.subscribed", "department": "fire"}

        fire_task = Task.objects.get(incident_id=body["id"], department__code="fire")
        services.start_task(fire_task, actor=fire_liaison)
        message = next_of(phone, "task")
        assert set(message) == {"type", "incident", "seq", "event_type", "at", "actor", "data"}
        assert message["event_type"] == "task_started"
        assert message["incident"] == {
            "id": body["id"],
            "short_code": body["short_code"],
            "title": body["title"],
            "exercise": False,
        }
        assert message["data"]["task"] == fire_task.pk and message["data"]["status"] == "in_progress"

        police_task = Task.objects.get(incident_id=body["id"], department__code="police")
        services.start_task(police_task)
        no_more(phone, "task")  # another department's task


def test_a_reassigned_task_reaches_both_departments(live_asgi, fire_liaison, make_user, open_water_incident):
    body = open_water_incident()
    police_liaison = make_user("liaison", "police", username="liaison-police")
    with ws(live_asgi, "/ws/board/") as fire, ws(live_asgi, "/ws/board/") as police:
        for sock, user in ((fire, fire_liaison), (police, police_liaison)):
            login(sock, user)
            sock.send(json.dumps({"type": "tasks"}))
            next_of(sock, "tasks.subscribed")
        task = Task.objects.get(incident_id=body["id"], department__code="fire")
        services.reassign_task(task, police_liaison.profile.department, "警力更近")
        for sock in (fire, police):
            moved = next_of(sock, "task")
            assert moved["event_type"] == "task_reassigned"
            assert (moved["data"]["from"], moved["data"]["department"]) == ("fire", "police")


def test_who_may_follow_which_department(live_asgi, fire_liaison, duty_officer, viewer):
    with ws(live_asgi, "/ws/board/") as liaison, ws(live_asgi, "/ws/board/") as officer:
        login(liaison, fire_liaison)
        liaison.send(json.dumps({"type": "tasks", "department": "police"}))
        assert next_of(liaison, "error")["detail"]
        login(officer, duty_officer)
        officer.send(json.dumps({"type": "tasks", "department": "police"}))
        assert next_of(officer, "tasks.subscribed")["department"] == "police"
    with ws(live_asgi, "/ws/board/") as outsider:
        login(outsider, viewer)  # no department of their own
        outsider.send(json.dumps({"type": "tasks"}))
        assert next_of(outsider, "error")["detail"]
