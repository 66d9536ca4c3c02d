"""The fault suite's own world: a PostgreSQL cluster (initdb/pg_ctl as the `postgres` user,
PostgreSQL refuses root) and a Redis server on free ports, never the machine's services, and
the processes production runs (uvicorn, Celery worker, Celery beat, the SMS sandbox), each of
which the tests start, kill and restart."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PG_BIN = Path(sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))[-1]).parent
DB_NAME = "erc_chaos"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def as_postgres(args: list[str], **kwargs) -> subprocess.CompletedProcess:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(prefix + args, check=True, capture_output=True, text=True, **kwargs)


def wait_until(check, timeout: float, step: float = 0.1, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while True:
        try:
            result = check()
            if result:
                return result
        except Exception:
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not met within {timeout} s")
        time.sleep(step)


class Cluster:
    # Short SMS timings so a lost send is resolved within seconds (see settings.py).
    SMS_HOLD_SECONDS = 2.0
    SMS_SENDING_TIMEOUT_SECONDS = 8
    SWEEP_SECONDS = 2

    def __init__(self):
        self.base = Path(tempfile.mkdtemp(prefix="erc-chaos-"))
        os.chmod(self.base, 0o755)
        self.pg_port, self.redis_port = free_port(), free_port()
        self.web_port, self.sms_port = free_port(), free_port()
        self.pgdata = self.base / "pg"
        self.procs: dict[str, subprocess.Popen] = {}
        self.redis: subprocess.Popen | None = None
        self.base_url = f"http://127.0.0.1:{self.web_port}"
        self.sms_url = f"http://127.0.0.1:{self.sms_port}"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.chaos.settings",
            "DATABASE_URL": f"postgis://postgres@127.0.0.1:{self.pg_port}/{DB_NAME}",
            "TEST_REDIS_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "ERC_TEST_SUFFIX": "_chaos",
            "TWILIO_ACCOUNT_SID": "ACchaos00000000000000000000000000",
            "TWILIO_AUTH_TOKEN": "chaos-auth-token",
            "TWILIO_FROM": "+15005550006",
            "TWILIO_MESSAGING_SERVICE_SID": "",
            "TWILIO_API_URL": self.sms_url,
            "PUBLIC_BASE_URL": self.base_url,
            "SMS_RATE_PER_SECOND": "1000",
            "SMS_HTTP_TIMEOUT_SECONDS": "6",
            "SMS_SENDING_TIMEOUT_SECONDS": str(self.SMS_SENDING_TIMEOUT_SECONDS),
            "ALERTS_SWEEP_SECONDS": str(self.SWEEP_SECONDS),
            "CELERY_BEAT_SCHEDULE_FILENAME": str(self.base / "celerybeat-schedule"),
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": "WARNING",
        }
        self.token = ""
        self.departments: list[str] = []

    # --- PostgreSQL ------------------------------------------------------------------------
    def init_postgres(self) -> None:
        self.pgdata.mkdir()
        shutil.chown(self.pgdata, "postgres", "postgres") if os.geteuid() == 0 else None
        as_postgres([str(PG_BIN / "initdb"), "-D", str(self.pgdata), "-A", "trust", "-U", "postgres", "--no-sync",
                     "-E", "UTF8", "--locale", "C.UTF-8"])  # fmt: skip

    def start_postgres(self) -> None:
        options = f"-p {self.pg_port} -k {self.pgdata} -c listen_addresses=127.0.0.1 -c fsync=off"
        options += " -c max_connections=200"
        as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.pgdata), "-o", options, "-l", str(self.pgdata / "log"),
                     "-w", "-t", "60", "start"])  # fmt: skip

    def stop_postgres(self, mode: str = "fast") -> None:
        as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.pgdata), "-m", mode, "-w", "stop"])

    def sql(self, query: str, params=()) -> list[tuple]:
        with psycopg.connect(host="127.0.0.1", port=self.pg_port, user="postgres", dbname=DB_NAME) as conn:
            return conn.execute(query, params).fetchall()

    # --- Redis -----------------------------------------------------------------------------
    def start_redis(self) -> None:
        """A fresh, empty Redis (no persistence: a restart loses everything, the worst case)."""
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--dir", str(self.base)],
            stdout=open(self.base / "redis.log", "a"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        wait_until(lambda: socket.create_connection(("127.0.0.1", self.redis_port), 0.5).close() or True, 10,
                   what="redis")  # fmt: skip

    def kill_redis(self) -> None:
        if self.redis and self.redis.poll() is None:
            self.redis.kill()
            self.redis.wait(5)

    # --- the application's processes --------------------------------------------------------
    COMMANDS = {
        "web": lambda c: [str(VENV_BIN / "uvicorn"), "backend.asgi:application", "--host", "127.0.0.1",
                          "--port", str(c.web_port), "--ws", "websockets-sansio", "--ws-per-message-deflate", "false",
                          "--no-access-log"],
        "worker": lambda c: [str(VENV_BIN / "celery"), "-A", "backend", "worker", "--concurrency", "2",
                             "--without-gossip", "--without-mingle", "--loglevel", "INFO", "-n", "chaos-worker@%h"],
        "worker2": lambda c: [str(VENV_BIN / "celery"), "-A", "backend", "worker", "--concurrency", "2",
                              "--without-gossip", "--without-mingle", "--loglevel", "INFO", "-n", "chaos-worker2@%h"],
        "beat": lambda c: [str(VENV_BIN / "celery"), "-A", "backend", "beat", "--loglevel", "INFO"],
        "sms": lambda c: [sys.executable, str(ROOT / "tests" / "chaos" / "sandbox.py"), "--port", str(c.sms_port),
                          "--hold", str(c.SMS_HOLD_SECONDS)],
    }  # fmt: skip

    def start(self, name: str) -> None:
        log_path = self.base / f"{name}.log"
        # A restarted worker appends to its log: wait for one more "ready." than there was.
        ready_before = log_path.read_text(errors="replace").count("ready.") if log_path.exists() else 0
        log = open(log_path, "a")
        args = self.COMMANDS[name](self)
        if name.startswith("worker"):
            args += ["-Q", f"erc-test{self.env['ERC_TEST_SUFFIX']}.default"]
        self.procs[name] = subprocess.Popen(args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        if name == "web":
            wait_until(lambda: httpx.get(f"{self.base_url}/accounts/login/", timeout=2).status_code == 200, 120,
                       what="web up")  # fmt: skip
        elif name == "sms":
            wait_until(lambda: httpx.get(f"{self.sms_url}/sandbox/messages.json", timeout=2).status_code == 200, 30,
                       what="sandbox up")  # fmt: skip
        elif name.startswith("worker"):
            wait_until(lambda: log_path.read_text(errors="replace").count("ready.") > ready_before, 90,
                       what=f"{name} ready")  # fmt: skip

    def kill(self, name: str, sig: int = signal.SIGKILL) -> None:
        """SIGKILL the process and, for the worker, its pool children too (a machine losing it)."""
        proc = self.procs[name]
        children = _children(proc.pid)
        proc.send_signal(sig)
        for pid in children:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        proc.wait(10)

    def stop(self, name: str) -> None:
        proc = self.procs.pop(name, None)
        if proc and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                self.kill_tree(proc)

    def kill_tree(self, proc: subprocess.Popen) -> None:
        for pid in _children(proc.pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        proc.kill()
        proc.wait(5)

    # --- the whole world --------------------------------------------------------------------
    def up(self) -> None:
        self.init_postgres()
        self.start_postgres()
        self.start_redis()
        seeded = subprocess.run([sys.executable, str(ROOT / "tests" / "chaos" / "seed.py")], cwd=ROOT, env=self.env,
                                check=True, capture_output=True, text=True)  # fmt: skip
        data = json.loads(seeded.stdout.strip().splitlines()[-1])
        self.token, self.departments = data["token"], data["departments"]
        # Two workers, as production runs them (deploy/docker-compose.yml): one is killed.
        for name in ("sms", "web", "worker", "worker2", "beat"):
            self.start(name)

    def down(self) -> None:
        for name in list(self.procs):
            self.stop(name)
        self.kill_redis()
        try:
            self.stop_postgres("immediate")
        except subprocess.CalledProcessError:
            pass
        if not os.environ.get("CHAOS_KEEP"):
            shutil.rmtree(self.base, ignore_errors=True)

    # --- the API as a client sees it -----------------------------------------------------------
    @property
    def headers(self) -> dict:
        return {"Authorization": f"Token {self.token}"}

    def open_incident(self, departments: list[str], title: str = "演练：罐车泄漏") -> int:
        body = {"title": title, "kind": "other", "location": {"type": "Point", "coordinates": [112.7, 38.4]}}
        response = httpx.post(f"{self.base_url}/api/incidents/", json=body, headers=self.headers, timeout=10)
        response.raise_for_status()
        incident = response.json()["id"]
        for code in departments:
            task = {"department": code, "text": "立即赶赴现场并报告", "ack_minutes": 10}
            httpx.post(f"{self.base_url}/api/incidents/{incident}/tasks/", json=task, headers=self.headers,
                       timeout=10).raise_for_status()  # fmt: skip
        return incident

    def sandbox_messages(self) -> list[dict]:
        return httpx.get(f"{self.sms_url}/sandbox/messages.json", timeout=10).json()["messages"]


def _children(pid: int) -> list[int]:
    out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
    kids = [int(p) for p in out.split()]
    return kids + [g for k in kids for g in _children(k)]
