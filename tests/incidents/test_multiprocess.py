"""Scale-out (issue 11): several server processes, one event log. The Redis channel layer
carries an event written through one process to the sockets held by another, and a client that
reconnects to another process resumes exactly where it left off. `--workers N` (WEB_PROCESSES)
serves one port from N processes."""

from __future__ import annotations

import json
import subprocess
import time
from contextlib import ExitStack

import httpx
import pytest
from rest_framework.authtoken.models import Token
from websockets.sync.client import connect

from backend.incidents.models import Incident
from tests.support.servers import ROOT, VENV_BIN, asgi_server, free_port, process_env

pytestmark = pytest.mark.django_db(transaction=True)


def ws(base: str, incident: int):
    return connect(base.replace("http://", "ws://") + f"/ws/incidents/{incident}/", origin=base, compression=None,
                   open_timeout=10)  # fmt: skip


def follow(sock, token: str, after: int) -> None:
    sock.send(json.dumps({"type": "auth", "token": token}))
    sock.send(json.dumps({"type": "resume", "after": after}))


def events(sock, count: int) -> list[dict]:
    got = []
    while len(got) < count:
        message = json.loads(sock.recv(timeout=15))
        if message["type"] == "event":
            got.append(message)
    return got


def note(base: str, token: str, incident: int, text: str) -> int:
    response = httpx.post(f"{base}/api/incidents/{incident}/notes/", json={"text": text},
                          headers={"Authorization": f"Token {token}"}, timeout=10)  # fmt: skip
    assert response.status_code == 201, response.text
    return response.json()["seq"]


def test_an_event_written_through_one_process_reaches_a_socket_on_another_and_resume_crosses(
    duty_officer, open_water_incident
):
    incident = Incident.objects.get(pk=open_water_incident()["id"])
    token = Token.objects.get_or_create(user=duty_officer)[0].key
    backlog = incident.last_seq
    with asgi_server() as first, asgi_server() as second:
        with ws(second, incident.pk) as sock:
            follow(sock, token, 0)
            assert [e["seq"] for e in events(sock, backlog)] == list(range(1, backlog + 1))
            seq = note(first, token, incident.pk, "经一号进程写入")  # written through the other process
            live = events(sock, 1)[0]
            assert live["seq"] == seq == backlog + 1 and live["data"]["text"] == "经一号进程写入"
        missed = [note(second, token, incident.pk, f"离线期间 {i}") for i in range(2)]
        with ws(first, incident.pk) as sock:  # the client comes back through the other process
            follow(sock, token, backlog + 1)
            assert [e["seq"] for e in events(sock, 2)] == missed
            later = note(second, token, incident.pk, "恢复之后")
            assert events(sock, 1)[0]["seq"] == later
            with pytest.raises(TimeoutError):
                sock.recv(timeout=1)  # nothing twice


def test_one_port_served_by_two_processes_delivers_every_event_to_every_socket(duty_officer, open_water_incident):
    incident = Incident.objects.get(pk=open_water_incident()["id"])
    token = Token.objects.get_or_create(user=duty_officer)[0].key
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(ROOT / "var" / f"test-asgi-workers-{port}.log", "w")
    proc = subprocess.Popen(
        [str(VENV_BIN / "uvicorn"), "backend.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--workers", "2", "--ws", "websockets-sansio", "--ws-per-message-deflate", "false", "--no-access-log"],
        cwd=ROOT, env=process_env(), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/accounts/login/", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, log.name
            time.sleep(0.3)
        children = subprocess.run(["ps", "-o", "pid=", "--ppid", str(proc.pid)], capture_output=True, text=True)
        assert len([p for p in children.stdout.split() if p.strip()]) >= 2, "uvicorn --workers 2 runs two processes"
        with ExitStack() as stack:
            socks = [stack.enter_context(ws(base, incident.pk)) for _ in range(12)]
            for sock in socks:
                follow(sock, token, incident.last_seq)
            # Each process accepts from the shared port; the writes land on either process too.
            seqs = [note(base, token, incident.pk, f"记录 {i}") for i in range(4)]
            for sock in socks:
                assert [e["seq"] for e in events(sock, 4)] == seqs
    finally:
        proc.terminate()
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
