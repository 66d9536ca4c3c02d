"""The process-wide fan-out (backend/incidents/fanout.py) through the real Redis channel layer:
one subscription per group shared by its sockets, order kept per socket, a slow socket never
holding up the others, and the subscription dropped with the last socket. Then the same
through a real ASGI server with many sockets on one incident."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import socket
import threading
import time
from contextlib import ExitStack

import pytest
from channels.layers import get_channel_layer
from rest_framework.authtoken.models import Token
from websockets.sync.client import connect

from backend.incidents import fanout, services
from backend.incidents.models import Incident


class Recorder:
    """Stands in for a consumer: records what it is handed; `gate` makes it a slow one."""

    def __init__(self, gate: asyncio.Event | None = None):
        self.gate = gate
        self.got: list[int] = []

    async def incident_event(self, message):
        if self.gate is not None:
            await self.gate.wait()
        self.got.append(message["event"]["seq"])


async def until(condition, timeout: float = 5.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, "timed out"
        await asyncio.sleep(0.01)


def publish(layer, group: str, seqs) -> list:
    return [layer.group_send(group, {"type": "incident.event", "event": {"seq": s}}) for s in seqs]


def test_one_subscription_feeds_every_member_in_order():
    async def scenario():
        layer, group = get_channel_layer(), "incidents.incident.test-fanout-1"
        members = [Recorder() for _ in range(5)]
        for member in members:
            await fanout.join(group, member)
        assert fanout.member_count(group) == 5
        for send in publish(layer, group, range(1, 31)):
            await send
        await until(lambda: all(len(m.got) == 30 for m in members))
        assert all(m.got == list(range(1, 31)) for m in members)
        for member in members:
            await fanout.leave(group, member)
        assert fanout.member_count(group) == 0

    asyncio.run(scenario())


def test_a_slow_socket_does_not_hold_up_the_others_and_catches_up_in_order():
    async def scenario():
        layer, group = get_channel_layer(), "incidents.incident.test-fanout-2"
        gate = asyncio.Event()
        slow, fast = Recorder(gate), Recorder()
        await fanout.join(group, slow)
        await fanout.join(group, fast)
        for send in publish(layer, group, range(1, 11)):
            await send
        await until(lambda: len(fast.got) == 10)
        assert slow.got == []  # still waiting to write its first message
        gate.set()
        await until(lambda: len(slow.got) == 10)
        assert slow.got == list(range(1, 11))
        await fanout.leave(group, slow)
        await fanout.leave(group, fast)

    asyncio.run(scenario())


def test_a_socket_hopelessly_behind_keeps_only_the_newest_message(monkeypatch):
    # The consumer then sees a gap in seq and reads the missing events from the database.
    monkeypatch.setattr(fanout, "BACKLOG_LIMIT", 3)

    async def scenario():
        layer, group = get_channel_layer(), "incidents.incident.test-fanout-3"
        gate = asyncio.Event()
        slow, fast = Recorder(gate), Recorder()
        await fanout.join(group, slow)
        await fanout.join(group, fast)
        for send in publish(layer, group, range(1, 9)):
            await send
        await until(lambda: len(fast.got) == 8)
        gate.set()
        await until(lambda: 8 in slow.got)
        # 1 was being written; 2-4 filled the queue; 5 replaced them, 6-7 joined it; 8 replaced 5-7.
        assert slow.got == [1, 8]
        await fanout.leave(group, slow)
        await fanout.leave(group, fast)

    asyncio.run(scenario())


def test_the_last_socket_leaving_drops_the_subscription():
    async def scenario():
        layer, group = get_channel_layer(), "incidents.incident.test-fanout-4"
        first, second = Recorder(), Recorder()
        await fanout.join(group, first)
        await fanout.join(group, second)
        await fanout.leave(group, first)
        assert fanout.member_count(group) == 1
        await fanout.leave(group, second)
        assert fanout.member_count(group) == 0
        # A new member starts a new subscription and gets what is sent from then on.
        late = Recorder()
        await fanout.join(group, late)
        for send in publish(layer, group, [41]):
            await send
        await until(lambda: late.got == [41])
        assert first.got == [] and second.got == []
        await fanout.leave(group, late)

    asyncio.run(scenario())


@pytest.mark.django_db(transaction=True)
def test_forty_sockets_on_one_incident_each_get_every_event_once_in_order(live_asgi, duty_officer, open_water_incident):
    incident = Incident.objects.get(pk=open_water_incident()["id"])
    start = incident.last_seq
    key = Token.objects.get_or_create(user=duty_officer)[0].key
    url = live_asgi.replace("http://", "ws://") + f"/ws/incidents/{incident.pk}/"
    with ExitStack() as stack:
        sockets = [stack.enter_context(connect(url, origin=live_asgi, compression=None)) for _ in range(40)]
        for sock in sockets:
            sock.send(json.dumps({"type": "auth", "token": key}))
            sock.send(json.dumps({"type": "resume", "after": start}))
            sock.send(json.dumps({"type": "ping"}))
        for sock in sockets:
            assert json.loads(sock.recv(timeout=10))["type"] == "pong"
        sockets.pop().close()  # one leaves; the others must not notice
        for n in range(15):
            services.add_note(incident, f"第{n}条", actor=duty_officer)
        for sock in sockets:
            seqs = [json.loads(sock.recv(timeout=10))["seq"] for _ in range(15)]
            assert seqs == list(range(start + 1, start + 16))
        time.sleep(0.3)
        for sock in sockets:
            with pytest.raises(TimeoutError):
                sock.recv(timeout=0.01)  # nothing twice


def _frame(text: str) -> bytes:
    data = text.encode()
    return bytes([0x81, 0x80 | len(data)]) + b"\0\0\0\0" + data  # a short masked text frame


@pytest.mark.django_db(transaction=True)
def test_a_phone_that_stops_reading_does_not_hold_up_the_board(live_asgi, duty_officer, open_water_incident):
    """12 MB of events to a socket that never reads (its buffers fill, its sends have to wait)
    while another socket on the same incident gets every event."""
    incident = Incident.objects.get(pk=open_water_incident()["id"])
    key = Token.objects.get_or_create(user=duty_officer)[0].key
    port = int(live_asgi.rsplit(":", 1)[1])
    stuck = socket.create_connection(("127.0.0.1", port))
    stuck.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    handshake = (
        f"GET /ws/incidents/{incident.pk}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\n"
        f"Connection: Upgrade\r\nSec-WebSocket-Key: {base64.b64encode(os.urandom(16)).decode()}\r\n"
        f"Sec-WebSocket-Version: 13\r\nOrigin: {live_asgi}\r\n\r\n"
    )
    stuck.sendall(handshake.encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += stuck.recv(1)
    assert b" 101 " in answer
    stuck.sendall(_frame(json.dumps({"type": "auth", "token": key})))
    stuck.sendall(_frame(json.dumps({"type": "resume", "after": incident.last_seq})))
    time.sleep(0.5)  # from here on it never reads
    url = live_asgi.replace("http://", "ws://") + f"/ws/incidents/{incident.pk}/"
    count, got = 600, []
    try:
        with connect(url, origin=live_asgi, compression=None, max_size=None) as reading:
            reading.send(json.dumps({"type": "auth", "token": key}))
            reading.send(json.dumps({"type": "resume", "after": incident.last_seq}))
            reading.send(json.dumps({"type": "ping"}))
            assert json.loads(reading.recv(timeout=10))["type"] == "pong"
            first = incident.last_seq + 1

            def read():
                for _ in range(count):
                    got.append(json.loads(reading.recv(timeout=20))["seq"])

            reader = threading.Thread(target=read)
            reader.start()
            for _ in range(count):
                services.add_note(incident, "x" * 20000)
            reader.join(60)
        assert got == list(range(first, first + count))
    finally:
        stuck.close()


def test_a_hub_left_while_it_was_subscribing_does_not_keep_running():
    async def scenario():
        group = "incidents.incident.test-fanout-5"
        member = Recorder()
        joining = asyncio.ensure_future(fanout.join(group, member))
        await asyncio.sleep(0)  # the hub exists and is subscribing
        await fanout.leave(group, member)
        await joining
        assert fanout.member_count(group) == 0
        assert not [t for t in asyncio.all_tasks() if t.get_coro().__qualname__ == "_Hub._read"]

    asyncio.run(scenario())
