#!/usr/bin/env python
"""Benchmark of opening an incident on the demo (issue 11: "the 3 a.m. critical path").

Standalone, like bench_sms.py: its own database (erc_bench_open, PostGIS, migrated, then the
demo data loaded with `load_demo`), its own Redis prefix and Celery queue
(ERC_TEST_SUFFIX=_bench_open). It starts the real processes: the ASGI server (uvicorn), a
Celery worker (prefork, 4 processes), and in this process the SMS sandbox speaking Twilio's
API. Then it opens N water incidents on the 滹沱河 (the demo's plan is activated, its
departments get tasks, their on-duty people an SMS, the boundary notice ...) one after the
other through `POST /api/incidents/` with the duty officer's token, and reports:

- the latency of each POST (median, p95), from the request to the 201;
- the time from the request until the first SMS of that incident reached the sandbox;
- the number of database queries of one opening (one more opening through Django's test
  client in this process, counted with CaptureQueriesContext; the on-commit work is in it);
- CPU per opening: the server's during the requests only (from /proc, between the request
  and its 201, each request sent once the server is idle: callbacks of its own SMS that land
  before the 201 are in it),
  the server's over the whole run (the callbacks included), and in this process through the
  test client (`--inprocess N` more openings; the on-commit work included, no callbacks):
  on a loaded machine these say more than the wall-clock figures.

    .venv/bin/python tests/bench/bench_open.py [--count 50] [--keep]

The figures depend on the machine's load (print `uptime` with them): the client, the server
and the worker share its cores.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

import benchdb

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent
# ERC_BENCH_SUFFIX (else the caller's ERC_TEST_SUFFIX) keeps parallel runs apart (database,
# Redis prefix, queue), as in the other benchmarks.
SUFFIX = os.environ.get("ERC_BENCH_SUFFIX") or os.environ.get("ERC_TEST_SUFFIX", "")
BENCH_DB = f"erc_bench_open{SUFFIX}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SANDBOX_PORT, APP_PORT = free_port(), free_port()
ENV = {
    "DJANGO_SETTINGS_MODULE": "backend.settings.test",
    "DATABASE_URL": benchdb.database_url(BENCH_DB),
    "ERC_TEST_SUFFIX": f"_bench_open{SUFFIX}",  # own Redis prefix and Celery queue
    "TWILIO_ACCOUNT_SID": "ACbench000000000000000000000000",
    "TWILIO_AUTH_TOKEN": "bench-auth-token",
    "TWILIO_FROM": "+15005550006",
    "TWILIO_MESSAGING_SERVICE_SID": "",
    "TWILIO_API_URL": f"http://127.0.0.1:{SANDBOX_PORT}",
    "PUBLIC_BASE_URL": f"http://127.0.0.1:{APP_PORT}",
    "SMS_RATE_PER_SECOND": "0",
    "PYTHONUNBUFFERED": "1",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

from backend.alerts.sandbox.server import SmsSandbox  # noqa: E402

# On the 滹沱河 upstream of its demo features: the plan is activated, the trace reaches the
# province boundary (a boundary notice), and the assessment reads the receptors.
BODY = {"title": "基准：罐车侧翻泄漏", "kind": "water", "location": {"type": "Point", "coordinates": [113.45, 39.2]}}


def uvicorn_args() -> list[str]:
    return [str(VENV_BIN / "uvicorn"), "backend.asgi:application", "--host", "127.0.0.1", "--port", str(APP_PORT),
            "--no-access-log"]  # fmt: skip


def worker_args(concurrency: int) -> list[str]:
    return [str(VENV_BIN / "celery"), "-A", "backend", "worker", "--pool", "prefork", "--concurrency",
            str(concurrency), "--without-gossip", "--without-mingle", "--loglevel", "INFO", "-n", "bench-open@%h",
            "-Q", settings.CELERY_TASK_DEFAULT_QUEUE]  # fmt: skip


def start(args: list[str], name: str) -> subprocess.Popen:
    log = open(ROOT / "var" / f"bench-open-{name}.log", "w")
    return subprocess.Popen(args, cwd=ROOT, env=dict(os.environ), stdout=log, stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def wait_ready(check, what: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} not ready within {timeout} s")
        time.sleep(0.2)


def asgi_ready() -> bool:
    try:
        httpx.get(f"{ENV['PUBLIC_BASE_URL']}/accounts/login/", timeout=2)
        return True
    except httpx.TransportError:
        return False


def duty_officer():
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username="duty")


def count_queries(inprocess: int = 0) -> tuple[int, int, float | None]:
    """One opening through Django's test client in this process: (queries, SMS queued), and
    the median CPU time of `inprocess` more openings (seconds, None when 0)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from backend.alerts.models import Notification

    client = Client()
    client.force_login(duty_officer())
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/incidents/", BODY, content_type="application/json")
    assert response.status_code == 201, response.content
    count = len(queries)  # now: the next request's end clears the connection's query log
    cpu = []
    for i in range(inprocess):
        began = time.process_time()
        client.post("/api/incidents/", {**BODY, "title": f"进程内{i}"}, content_type="application/json")
        cpu.append(time.process_time() - began)
    sms = Notification.objects.filter(incident_id=response.json()["id"]).count()
    return count, sms, statistics.median(cpu) if cpu else None


def cpu_seconds(pid: int) -> float:
    """User and system CPU time of a process so far (/proc/PID/stat): the server's own work,
    whatever else loads the machine."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def settle(pid: int, timeout: float = 3.0) -> None:
    """Wait until the server has used no CPU for 0.1 s (the previous opening's SMS status
    callbacks are done), so that the CPU measured in the next request is the request's own."""
    deadline = time.monotonic() + timeout
    last = cpu_seconds(pid)
    while time.monotonic() < deadline:
        time.sleep(0.1)
        now = cpu_seconds(pid)
        if now == last:
            return
        last = now


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(int(len(ordered) * p), len(ordered) - 1)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=50, help="incidents to open, one after the other")
    parser.add_argument("--concurrency", type=int, default=4, help="Celery worker processes")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--inprocess", type=int, default=20, help="openings timed for CPU in this process")
    args = parser.parse_args()

    from rest_framework.authtoken.models import Token

    (ROOT / "var").mkdir(exist_ok=True)
    benchdb.recreate()
    call_command("load_demo", verbosity=0)
    token = Token.objects.get_or_create(user=duty_officer())[0].key
    sandbox = SmsSandbox(
        port=SANDBOX_PORT,
        account_sid=ENV["TWILIO_ACCOUNT_SID"],
        auth_token=ENV["TWILIO_AUTH_TOKEN"],
        public_base_url=ENV["PUBLIC_BASE_URL"],
        callback_delay=0.05,
    ).start()
    procs = []
    latencies, first_sms, failures, request_cpu = [], [], 0, 0.0
    try:
        procs.append(start(uvicorn_args(), "asgi"))
        wait_ready(asgi_ready, "ASGI server")
        log_path = ROOT / "var" / "bench-open-worker.log"
        procs.append(start(worker_args(args.concurrency), "worker"))
        wait_ready(lambda: "ready." in log_path.read_text(), "celery worker")
        headers = {"Authorization": f"Token {token}"}
        with httpx.Client(base_url=ENV["PUBLIC_BASE_URL"], headers=headers, timeout=30) as client:
            for i in range(3):  # warm the server's imports and connections (not counted)
                client.post("/api/incidents/", json={**BODY, "title": f"预热{i}"}).raise_for_status()
            time.sleep(2)
            server_cpu = cpu_seconds(procs[0].pid)
            for i in range(args.count):
                settle(procs[0].pid)
                cpu_before = cpu_seconds(procs[0].pid)
                began = time.monotonic()
                response = client.post("/api/incidents/", json={**BODY, "title": f"基准{i}：罐车侧翻泄漏"})
                answered = time.monotonic()
                request_cpu += cpu_seconds(procs[0].pid) - cpu_before
                if response.status_code != 201:
                    failures += 1
                    continue
                latencies.append(answered - began)
                code = response.json()["short_code"]
                marker = re.compile(rf"\[{code}\]")
                deadline = time.monotonic() + 10
                arrived = None
                while arrived is None and time.monotonic() < deadline:
                    times = [m["received_monotonic"] for m in list(sandbox.messages) if marker.search(m["body"])]
                    arrived = min(times) if times else None
                    if arrived is None:
                        time.sleep(0.005)
                if arrived is not None:
                    first_sms.append(arrived - began)
                time.sleep(0.2)  # let the SMS of this one go before the next request
            # The server is idle between requests but for the status callbacks of the SMS.
            server_cpu = (cpu_seconds(procs[0].pid) - server_cpu) / max(len(latencies), 1)
        queries, sms, inprocess_cpu = count_queries(args.inprocess)
    finally:
        for proc in procs:
            stop(proc)
        sandbox.stop()
        if not args.keep:
            benchdb.drop()
    load = os.getloadavg()
    print(
        f"POST /api/incidents/ on the demo x{len(latencies)}: median {statistics.median(latencies) * 1000:.0f} ms, "
        f"p95 {percentile(latencies, 0.95) * 1000:.0f} ms; first SMS at the provider: median "
        f"{statistics.median(first_sms) * 1000:.0f} ms, p95 {percentile(first_sms, 0.95) * 1000:.0f} ms "
        f"({len(first_sms)} of {len(latencies)} seen); {queries} queries per opening ({sms} SMS queued); "
        f"server CPU {request_cpu / max(len(latencies), 1) * 1000:.0f} ms per opening in the requests, "
        f"{server_cpu * 1000:.0f} ms with its SMS status callbacks; "
        + (f"in-process CPU median {inprocess_cpu * 1000:.0f} ms; " if inprocess_cpu is not None else "")
        + f"{failures} failed; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}",
        flush=True,
    )
    return 0 if latencies and not failures else 1


if __name__ == "__main__":
    sys.exit(main())
