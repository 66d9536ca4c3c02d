"""Incident-room pages benchmark: 200 simulated rooms on one incident, one ASGI process.

Each simulated page makes the room's HTTP and socket traffic (frontend/static/incidents/room.js):
on first load the incident's detail, the event types, the SMS summary and list, the items, the
rivers and features the trace names (by id); then the incident socket (lean client,
tests/bench/lean_ws.py), resuming after seq 0. A publisher then writes a steady mix of typed
events through the services (task assigned / acknowledged / started / completed, notes, SMS
statuses, a level change). Two modes:

- before: what room.js did until this change: each event other than a note or an SMS status
  re-read the incident's detail (debounced 150 ms), each task or SMS event re-read the SMS
  summary and list (debounced 300 ms);
- after: the page applies each event to its state: no request.

Reports, per mode, HTTP requests per event in the steady state (after the first load) and the
ASGI server's CPU time per event (utime + stime from /proc). Run:
.venv/bin/python tests/bench/bench_room_pages.py [--pages 200] [--events 40] [--mode both]
ERC_BENCH_SUFFIX keeps two people's runs apart (database, Redis prefix); ERC_BENCH_PORT the port.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import benchdb
import lean_ws

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
BENCH_SUFFIX = os.environ.get("ERC_BENCH_SUFFIX", "")
BENCH_DB = f"erc_bench_room{BENCH_SUFFIX}"
BENCH_PORT = int(os.environ.get("ERC_BENCH_PORT", "8795"))
EVENT_RATE = 4.0  # events per second, a busy incident's first hour compressed
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime, stime


class Page:
    """One room page: first load over HTTP, then the socket; `before` re-reads like the old room.js."""

    def __init__(self, base: str, incident: dict, token: str, http, mode: str, counters: dict):
        self.base, self.incident, self.token, self.http, self.mode = base, incident, token, http, mode
        self.counters = counters
        import httpx

        self.transport_error = httpx.TransportError
        self.timers: dict[str, asyncio.TimerHandle] = {}
        self.events = 0

    async def get(self, path: str, steady: bool):
        self.counters["steady_requests" if steady else "load_requests"] += 1
        self.counters["inflight"] += 1
        try:
            for attempt in range(3):  # a kept-alive connection the busy server closed: ask again
                try:
                    response = await self.http.get(self.base + path, headers={"Authorization": f"Token {self.token}"})
                    break
                except self.transport_error:
                    self.counters["retries"] += 1
                    if attempt == 2:
                        raise
            response.raise_for_status()
            return response.json()
        finally:
            self.counters["inflight"] -= 1

    async def first_load(self):
        pk = self.incident["id"]
        detail = await self.get(f"/api/incidents/{pk}/", False)
        await asyncio.gather(
            self.get("/api/event-types/", False),
            self.get(f"/api/notification-summary/?incident={pk}", False),
            self.get(f"/api/notifications/?incident={pk}&page_size=200", False),
            self.get("/api/items/?page_size=1000", False),
        )
        trace = detail.get("trace") or {}
        features = [d["id"] for d in trace.get("downstream", []) if d["kind"] != "confluence"]
        if features:
            await self.get(f"/api/river-features/?id__in={','.join(map(str, features[:100]))}&page_size=100", False)

    def debounce(self, name: str, delay: float, work):
        loop = asyncio.get_running_loop()
        if name in self.timers:
            self.timers[name].cancel()

        def fire():
            self.timers.pop(name, None)
            asyncio.ensure_future(work())

        self.timers[name] = loop.call_later(delay, fire)

    def on_message(self, payload: bytes, now: float):
        message = json.loads(payload)
        if message.get("type") != "event":
            return
        self.events += 1
        if not self.counters["steady"] or self.mode != "before":
            return
        kind = message["event_type"]
        pk = self.incident["id"]
        if kind == "sms_status" or kind.startswith("task_"):
            self.debounce("sms", 0.3, lambda: asyncio.gather(
                self.get(f"/api/notification-summary/?incident={pk}", True),
                self.get(f"/api/notifications/?incident={pk}&page_size=200", True)))  # fmt: skip
        if kind not in ("note", "sms_status"):
            self.debounce("detail", 0.15, lambda: self.get(f"/api/incidents/{pk}/", True))

    async def open(self, ws_url: str):
        await self.first_load()
        client = await lean_ws.connect(ws_url, self.on_message)
        client.send_text(json.dumps({"type": "auth", "token": self.token}))
        client.send_text(json.dumps({"type": "resume", "after": 0}))
        return client


def publish(incident, user, departments, count: int) -> int:
    """A steady mix of typed events through the services; returns how many were written."""
    from django.db import connection

    from backend.incidents import services
    from backend.incidents.models import Incident
    from backend.incidents.services.lifecycle import append_event

    written = 0
    start = time.monotonic()
    task = None
    notification = 100000
    try:
        for n in range(count):
            phase = n % 8
            department = departments[n // 8 % len(departments)]
            if phase == 0:
                task = services.add_task(incident, department=department, text=f"任务 {n}", actor=user)
            elif phase == 1:
                services.acknowledge_task(task, actor=user)
            elif phase == 2:
                services.start_task(task, actor=user)
            elif phase in (3, 4):
                notification += 1
                append_event(incident.pk, "sms_status", {
                    "notification": notification, "contact": "张伟", "department": department.code,
                    "to": "+8613900000001", "status": "delivered", "previous": "sent", "kind": "task",
                    "error_code": None, "error": None,
                })  # fmt: skip
            elif phase == 5:
                services.add_note(incident, f"现场情况 {n}", actor=user)
            elif phase == 6:
                level = 3 if Incident.objects.get(pk=incident.pk).level != 3 else 4
                services.change_level(Incident.objects.get(pk=incident.pk), level, "研判", actor=user)
            else:
                services.complete_task(task, note="已完成", actor=user)
            written += 1
            pause = start + written / EVENT_RATE - time.monotonic()
            if pause > 0:
                time.sleep(pause)
    finally:
        connection.close()
    return written


def run_mode(mode: str, pages: int, events: int, port: int) -> dict:
    import httpx
    from django.contrib.gis.geos import Point
    from rest_framework.authtoken.models import Token

    from backend.directory import roles
    from backend.directory import services as directory
    from backend.directory.models import Department
    from backend.incidents import services

    roles.sync_roles()
    known = (("environment", "生态环境局", True), ("fire", "消防救援支队", False), ("police", "公安局", False))
    departments = [
        Department.objects.get_or_create(code=code, defaults={"name": name, "name_en": code, "is_coordinator": c})[0]
        for code, name, c in known
    ]
    user = directory.ensure_user(username="bench-duty", password="x-bench-1", role=roles.DUTY_OFFICER,
                                 department=departments[0])  # fmt: skip
    token = Token.objects.get_or_create(user=user)[0].key
    incident = services.open_incident(
        title=f"bench {mode}", kind="air", location=Point(112.7, 38.4, srid=4326), actor=user
    )
    server = subprocess.Popen(
        [str(ROOT / ".venv/bin/uvicorn"), "backend.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--ws", "websockets-sansio", "--ws-per-message-deflate", "false", "--no-access-log", "--log-level", "warning"],
        cwd=ROOT, env=dict(os.environ), stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            if server.poll() is not None:
                raise RuntimeError(f"the ASGI server exited (code {server.returncode}); is port {port} taken?")
            try:
                httpx.get(f"{base}/accounts/login/", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.2)
        counters = {"load_requests": 0, "steady_requests": 0, "inflight": 0, "retries": 0, "steady": False}
        result: dict = {}

        async def main():
            limits = httpx.Limits(max_connections=50)
            async with httpx.AsyncClient(limits=limits, timeout=60) as http:
                room = [Page(base, {"id": incident.pk}, token, http, mode, counters) for _ in range(pages)]
                clients = []
                for i in range(0, pages, 20):  # pages open in waves, as people arrive
                    clients += await asyncio.gather(
                        *(p.open(f"ws://127.0.0.1:{port}/ws/incidents/{incident.pk}/") for p in room[i : i + 20])
                    )
                await asyncio.sleep(1.0)  # backlogs delivered
                counters["steady"] = True
                received_before = sum(p.events for p in room)
                cpu_before = cpu_seconds(server.pid)
                written = await asyncio.to_thread(publish, incident, user, departments[1:], events)
                deadline = time.monotonic() + 60
                while sum(p.events for p in room) - received_before < written * pages and time.monotonic() < deadline:
                    await asyncio.sleep(0.1)
                # Every re-read the events caused is part of their cost: wait for the last one.
                await asyncio.sleep(0.5)
                while (counters["inflight"] or any(p.timers for p in room)) and time.monotonic() < deadline + 120:
                    await asyncio.sleep(0.1)
                result.update(
                    events=written, delivered=sum(p.events for p in room) - received_before,
                    cpu=cpu_seconds(server.pid) - cpu_before, steady_requests=counters["steady_requests"],
                    load_requests=counters["load_requests"], retries=counters["retries"],
                )  # fmt: skip
                for c in clients:
                    c.transport.close()

        asyncio.run(main())
        return result
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--events", type=int, default=40)
    parser.add_argument("--mode", choices=["before", "after", "both"], default="both")
    args = parser.parse_args()
    os.environ.update({"CHANNEL_LAYER": "pubsub", "ERC_TEST_SUFFIX": f"_bench_room{BENCH_SUFFIX}"})
    benchdb.use_database(BENCH_DB)
    import django

    django.setup()
    import logging

    logging.getLogger("httpx").setLevel(logging.WARNING)  # a line per request would drown the figures
    benchdb.recreate()
    modes = ["before", "after"] if args.mode == "both" else [args.mode]
    for i, mode in enumerate(modes):
        r = run_mode(mode, args.pages, args.events, BENCH_PORT + i)
        print(
            f"{mode:<6} {args.pages} room pages, {r['events']} events: first load {r['load_requests']} requests; "
            f"steady state {r['steady_requests']} requests = {r['steady_requests'] / r['events']:.1f} per event; "
            f"server CPU {r['cpu'] * 1000 / r['events']:.0f} ms per event; "
            f"delivered {r['delivered']}/{r['events'] * args.pages} ({r['retries']} requests retried)",
            flush=True,
        )


if __name__ == "__main__":
    main()
