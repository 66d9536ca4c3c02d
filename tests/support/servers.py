"""Real processes for end-to-end tests: the ASGI server (uvicorn) and a Celery worker.

pytest-django's live_server is WSGI and has no WebSockets (docs/operations.md, "Traps"), so tests start the
same ASGI application `make run` starts, as a subprocess on a free port, against the test
database. The Celery worker consumes only the test settings' queue (own Redis db and prefix).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import httpx
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url() -> str:
    """The URL of the database the tests are using right now (the test database)."""
    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgis://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def process_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "backend.settings.test",
            "DATABASE_URL": database_url(),
            "PYTHONUNBUFFERED": "1",
        }
    )
    env.update(extra)
    return env


def _stop(proc: subprocess.Popen, grace: float = 10) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


@contextmanager
def asgi_server(port: int | None = None, **env):
    port = port or free_port()
    log = open(ROOT / "var" / f"test-asgi-{port}.log", "w")
    proc = subprocess.Popen(
        [str(VENV_BIN / "uvicorn"), "backend.asgi:application", "--host", "127.0.0.1", "--port", str(port),
         "--ws", "websockets-sansio", "--ws-per-message-deflate", "false", "--no-access-log"],
        cwd=ROOT, env=process_env(**env), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"ASGI server exited: {(ROOT / 'var' / f'test-asgi-{port}.log').read_text()}")
            try:
                httpx.get(f"{base}/accounts/login/", timeout=1)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise RuntimeError("ASGI server did not answer within 30 s") from None
                time.sleep(0.2)
        yield base
    finally:
        _stop(proc)
        log.close()


@contextmanager
def celery_worker(name: str = "test-worker"):
    log_path = ROOT / "var" / f"test-celery-{name}.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [str(VENV_BIN / "celery"), "-A", "backend", "worker", "--pool", "solo", "--concurrency", "1",
         "--without-gossip", "--without-mingle", "--loglevel", "INFO", "-n", f"{name}@%h",
         "-Q", settings.CELERY_TASK_DEFAULT_QUEUE],
        cwd=ROOT, env=process_env(), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while "ready." not in log_path.read_text():
            if proc.poll() is not None:
                raise RuntimeError(f"Celery worker exited: {log_path.read_text()}")
            if time.monotonic() > deadline:
                raise RuntimeError("Celery worker not ready within 30 s")
            time.sleep(0.2)
        yield proc
    finally:
        _stop(proc)
        log.close()
