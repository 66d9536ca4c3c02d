#!/usr/bin/env python
"""Benchmark of SMS alerting (issue 6): one incident alerts 200 contacts.

Standalone: creates its own database (erc_bench_sms, PostGIS, migrated with the test
settings) and uses its own Redis prefix and Celery queue (ERC_TEST_SUFFIX=_bench_sms). It
starts real processes: a Celery worker (prefork, several processes), the ASGI server
(uvicorn, for the status callbacks), and in this process the SMS sandbox, the local server
speaking Twilio's Messages API that the real `twilio` library talks to. Ten departments of
twenty on-duty contacts each get a task in one transaction: 200 notifications.

Reported per run (rate limit on, e.g. 50/s, then off): seconds from the commit until all 200
requests reached the sandbox, and until all 200 notifications are marked delivered (status
callbacks sent → delivered applied by the ASGI server).

    .venv/bin/python tests/bench/bench_sms.py [--rate 50] [--contacts 200] [--concurrency 4] [--keep]
    .venv/bin/python tests/bench/bench_sms.py --contacts 1000 --unlimited-only   # issue 11's figures

Status callbacks are applied in batches (backend/alerts/services/status_batch.py: group
commit per server process), so concurrent senders share transactions and incident locks.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import benchdb

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
VENV_BIN = Path(sys.executable).parent
# ERC_BENCH_SUFFIX (else the caller's ERC_TEST_SUFFIX) keeps parallel runs (several checkouts)
# on their own database, Redis prefix and Celery queue: two runs sharing one would drop each
# other's database.
BENCH_SUFFIX = os.environ.get("ERC_BENCH_SUFFIX") or os.environ.get("ERC_TEST_SUFFIX", "")
BENCH_DB = f"erc_bench_sms{BENCH_SUFFIX}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


SANDBOX_PORT, APP_PORT = free_port(), free_port()
ENV = {
    "DJANGO_SETTINGS_MODULE": "tests.bench.bench_sms_settings",  # test settings, CONN_MAX_AGE=0
    "DATABASE_URL": benchdb.database_url(BENCH_DB),
    "ERC_TEST_SUFFIX": f"_bench_sms{BENCH_SUFFIX}",  # own Redis prefix and Celery queue
    "TWILIO_ACCOUNT_SID": "ACbench000000000000000000000000",
    "TWILIO_AUTH_TOKEN": "bench-auth-token",
    "TWILIO_FROM": "+15005550006",
    "TWILIO_MESSAGING_SERVICE_SID": "",
    "TWILIO_API_URL": f"http://127.0.0.1:{SANDBOX_PORT}",
    "PUBLIC_BASE_URL": f"http://127.0.0.1:{APP_PORT}",
    "PYTHONUNBUFFERED": "1",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENV)

import django  # noqa: E402

django.setup()

import httpx  # noqa: E402
import redis  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.gis.geos import Point  # noqa: E402
from django.db import transaction  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.utils import timezone  # noqa: E402

from backend.alerts.models import Notification  # noqa: E402
from backend.alerts.sandbox.server import SmsSandbox  # noqa: E402

DEPARTMENTS = 10


def seed(contacts: int) -> list:
    """Departments with on-duty contacts (a shift covering the next hours for each)."""
    from backend.directory.models import Contact, Department, Shift

    now = timezone.now()
    Department.objects.create(code="environment", name="忻州市生态环境局", name_en="EEB", is_coordinator=True)
    per = contacts // DEPARTMENTS
    departments, number = [], 13900000000
    for d in range(DEPARTMENTS):
        department = Department.objects.create(code=f"dept-{d}", name=f"部门{d}", name_en=f"Dept {d}", sort_order=d)
        departments.append(department)
        for p in range(per):
            number += 1
            contact = Contact.objects.create(department=department, name=f"联系人{d}-{p}", mobile=f"+86{number}")
            Shift.objects.create(
                department=department, contact=contact, start=now - timedelta(hours=1), end=now + timedelta(hours=8)
            )
    return departments


def alert(departments: list) -> float:
    """Open an incident and give every department a task, in one transaction; returns the
    monotonic times of its start and of the commit (the SMS are dispatched on commit)."""
    from backend.incidents import services as incidents

    began, committed = time.monotonic(), []
    with transaction.atomic():
        # Registered first, so it runs first after the commit: before the callbacks that
        # publish the send tasks (the first request may reach the provider within them).
        transaction.on_commit(lambda: committed.append(time.monotonic()))
        incident = incidents.open_incident(title="基准测试：泄漏", kind="other", location=Point(112.7, 38.4, srid=4326))
        for department in departments:
            incidents.add_task(incident, department=department, text="立即赶赴现场并报告", ack_minutes=10)
    return began, committed[0]


class Processes:
    def __init__(self):
        self.procs: list[subprocess.Popen] = []

    def start(self, args: list[str], name: str, **extra) -> subprocess.Popen:
        log = open(ROOT / "var" / f"bench-sms{BENCH_SUFFIX}-{name}.log", "w")
        env = {**os.environ, **extra}
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.procs.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen | None = None) -> None:
        for p in [proc] if proc else list(self.procs):
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(20)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(5)
            self.procs.remove(p)


def wait_ready(check, what: str, timeout: float = 40) -> None:
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


def cpu_seconds(pid: int, with_children: bool = False) -> float:
    """User and system CPU time of a process (and of its live children) so far, from /proc:
    the work itself, whatever else loads the machine."""
    stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    total = (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
    if with_children:
        for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split():
            total += cpu_seconds(int(child))
    return total


def run(label: str, rate: float, departments: list, sandbox: SmsSandbox, procs: Processes, concurrency: int) -> dict:
    name = f"worker-{label}"
    log_path = ROOT / "var" / f"bench-sms{BENCH_SUFFIX}-{name}.log"
    worker = procs.start(
        [str(VENV_BIN / "celery"), "-A", "backend", "worker", "--pool", "prefork", "--concurrency", str(concurrency),
         "--without-gossip", "--without-mingle", "--loglevel", "INFO", "-n", f"bench-{label}@%h",
         "-Q", settings.CELERY_TASK_DEFAULT_QUEUE],
        # Workers keep persistent connections (one each); only the ASGI server needs them off.
        name, SMS_RATE_PER_SECOND=str(rate), DJANGO_SETTINGS_MODULE="backend.settings.test",
    )  # fmt: skip
    wait_ready(lambda: "ready." in log_path.read_text(), "celery worker")
    redis.Redis.from_url(settings.REDIS_URL).delete(f"{settings.REDIS_PREFIX}:alerts:sms-bucket")
    sandbox.reset()
    Notification.objects.all().delete()
    server = procs.procs[0].pid  # the ASGI server, started first
    cpu = (cpu_seconds(worker.pid, with_children=True), tree_cpu_seconds(server), time.process_time())
    began, started = alert(departments)
    total = Notification.objects.count()
    arrived_at = delivered_at = first_at = None
    deadline = started + 120
    while time.monotonic() < deadline and delivered_at is None:
        if arrived_at is None and len(sandbox.messages) >= total:
            arrived_at = max(m["received_monotonic"] for m in sandbox.messages)
            first_at = min(m["received_monotonic"] for m in sandbox.messages)
        if arrived_at is not None and Notification.objects.filter(status="delivered").count() >= total:
            delivered_at = time.monotonic()
        time.sleep(0.02)
    cpu = (
        cpu_seconds(worker.pid, with_children=True) - cpu[0],
        tree_cpu_seconds(server) - cpu[1],
        time.process_time() - cpu[2],
    )
    procs.stop(worker)
    return {
        "label": label,
        "rate": rate,
        "messages": total,
        "queue_seconds": round(started - began, 2),  # the opening transaction that creates the rows
        "requests_seconds": round(arrived_at - started, 2) if arrived_at else None,
        # First to last request at the provider: with a rate limit, at least (messages - rate) / rate
        # (the bucket holds one second's tokens).
        "requests_span": round(arrived_at - first_at, 2) if arrived_at else None,
        "delivered_seconds": round(delivered_at - started, 2) if delivered_at else None,
        # CPU seconds of the workers, of the ASGI server (status callbacks) and of this process
        # (the opening transaction, the sandbox and its callbacks, the polling).
        "cpu": [round(c, 2) for c in cpu],
        "statuses": dict(Notification.objects.values_list("status").annotate(n=Count("pk"))),
    }


def tree_cpu_seconds(root_pid: int) -> float:
    """CPU time (user + system) of a process and its children (uvicorn --workers forks them)."""
    ticks = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))  # ppid, utime+stime
    tree, total = {root_pid}, 0
    for _ in range(3):  # uvicorn's supervisor → workers (→ their threads share the pid)
        tree |= {pid for pid, (ppid, _) in stats.items() if ppid in tree}
    total = sum(stats[pid][1] for pid in tree if pid in stats)
    return total / ticks


def callbacks_alone(sandbox: SmsSandbox, count: int, senders: int = 8, server_pid: int | None = None) -> dict:
    """Status callbacks without sending: `count` sent notifications of one incident get a signed
    `delivered` callback each, from `senders` threads at once (as a carrier's bursts arrive),
    with no Celery worker competing for the 2 cores. Each is applied under the incident's lock
    and becomes an sms_status event, so they queue on that lock by design."""
    from concurrent.futures import ThreadPoolExecutor

    from backend.directory.models import Contact
    from backend.incidents.models import Incident

    Notification.objects.all().delete()
    incident = Incident.objects.order_by("-pk").first()  # the last run's
    contacts = list(Contact.objects.filter(active=True)[:20])
    now = timezone.now()
    records = []
    for i in range(count):
        contact = contacts[i % len(contacts)]
        sid = f"SMbenchcb{i:06d}{time.time_ns() % 10**9}"
        Notification.objects.create(
            incident=incident, contact=contact, department=contact.department, to=contact.mobile,
            body="基准", status="sent", provider_sid=sid, created_at=now, send_after=now,
        )  # fmt: skip
        callback = f"{ENV['PUBLIC_BASE_URL']}/twilio/status/"
        records.append({"sid": sid, "to": contact.mobile, "from": "", "status_callback": callback})

    def one(record):
        began = time.monotonic()
        answer = sandbox.send_status(record, "delivered")
        return answer, time.monotonic() - began

    began, cpu_before = time.monotonic(), tree_cpu_seconds(server_pid) if server_pid else 0.0
    sender_before = time.process_time()  # this process: the carrier's side (signing, HTTP)
    with ThreadPoolExecutor(senders) as pool:
        answers = list(pool.map(one, records))
    elapsed = time.monotonic() - began
    server_cpu = tree_cpu_seconds(server_pid) - cpu_before if server_pid else 0.0
    sender_cpu = time.process_time() - sender_before
    latencies = sorted(t for _, t in answers)
    return {
        "count": count,
        "senders": senders,
        "per_second": round(count / elapsed, 1),
        "median_ms": round(latencies[len(latencies) // 2] * 1000, 1),
        "p95_ms": round(latencies[int(len(latencies) * 0.95)] * 1000, 1),
        # What one callback costs the server (CPU, all its processes), whatever else runs.
        "server_cpu_ms": round(server_cpu / count * 1000, 2),
        "sender_cpu_ms": round(sender_cpu / count * 1000, 2),  # the harness shares the 2 cores
        "answers": sorted({a for a, _ in answers}),
        "delivered": Notification.objects.filter(status="delivered").count(),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=50.0, help="SMS_RATE_PER_SECOND for the limited run")
    parser.add_argument("--contacts", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4, help="Celery worker processes")
    parser.add_argument("--keep", action="store_true", help="keep the bench database")
    parser.add_argument("--unlimited-only", action="store_true", help="skip the rate-limited run")
    parser.add_argument(
        "--senders", default="1,8,32", help="concurrent callback senders, comma-separated (0: no callbacks-alone run)"
    )
    parser.add_argument(
        "--callback-delay",
        type=float,
        default=0.05,
        help="seconds before the sandbox calls back (a long delay keeps callbacks off the cores while sending)",
    )
    parser.add_argument("--web-processes", type=int, default=1, help="uvicorn processes (WEB_PROCESSES)")
    parser.add_argument(
        "--callbacks-only",
        type=int,
        default=0,
        metavar="N",
        help="skip sending: open the incident without a worker, then N callbacks per sender count",
    )
    args = parser.parse_args()

    (ROOT / "var").mkdir(exist_ok=True)
    benchdb.recreate()
    departments = seed(args.contacts)
    sandbox = SmsSandbox(
        port=SANDBOX_PORT,
        account_sid=ENV["TWILIO_ACCOUNT_SID"],
        auth_token=ENV["TWILIO_AUTH_TOKEN"],
        public_base_url=ENV["PUBLIC_BASE_URL"],
        callback_delay=args.callback_delay,
        # Concurrent callbacks as a carrier sends them; only the batch leader of the ASGI server
        # holds a database connection while they are applied (group commit).
        callback_workers=32,
    ).start()
    procs = Processes()
    results = []
    try:
        asgi = procs.start(
            [str(VENV_BIN / "uvicorn"), "backend.asgi:application", "--host", "127.0.0.1", "--port", str(APP_PORT),
             "--no-access-log", "--workers", str(args.web_processes)],
            "asgi",
        )  # fmt: skip
        wait_ready(asgi_ready, "ASGI server")
        runs = [(f"limited-{args.rate:g}-per-s", args.rate)] if not args.unlimited_only else []
        if args.callbacks_only:
            alert(departments)  # the incident the callbacks belong to; no worker sends anything
        for label, rate in [*runs, ("unlimited", 0.0)] if not args.callbacks_only else []:
            result = run(label, rate, departments, sandbox, procs, args.concurrency)
            results.append(result)
            print(
                f"{result['label']:>22}: {result['messages']} SMS queued in {result['queue_seconds']} s; from the "
                f"commit, all requests at the provider after "
                f"{result['requests_seconds']} s (first to last {result['requests_span']} s), "
                f"all delivered after {result['delivered_seconds']} s; CPU s: "
                f"workers {result['cpu'][0]} ({result['cpu'][0] / max(result['messages'], 1) * 1000:.1f} ms per SMS), "
                f"server {result['cpu'][1]}, this process {result['cpu'][2]}; "
                f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}  "
                f"{result['statuses']}",
                flush=True,
            )
        for senders in [int(n) for n in args.senders.split(",") if int(n) > 0]:  # 0: sending only
            cb = callbacks_alone(sandbox, args.callbacks_only or args.contacts, senders, server_pid=asgi.pid)
            print(
                f"{'callbacks alone':>22}: {cb['count']} signed status callbacks from {cb['senders']} sender(s): "
                f"{cb['per_second']}/s, latency median {cb['median_ms']} ms, p95 {cb['p95_ms']} ms, "
                f"server CPU {cb['server_cpu_ms']} ms per callback ({args.web_processes} process(es)), "
                f"sender CPU {cb['sender_cpu_ms']} ms; "
                f"answers {cb['answers']}, {cb['delivered']} delivered",
                flush=True,
            )
    finally:
        procs.stop()
        sandbox.stop()
        if not args.keep:
            benchdb.drop()
    return 0 if all(r["delivered_seconds"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
