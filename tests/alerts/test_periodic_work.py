"""The periodic work as it runs in production: real Celery beat sending the project's own
schedule (settings.CELERY_BEAT_SCHEDULE, periods shortened through the environment), a real
worker running it, the real clock. Nobody calls a task or a service here: every effect below
exists only if beat sent the entry and the worker ran it.

Beat and worker use their own Redis prefix (so the session's test worker, started with the
normal periods, cannot take their tasks) and the test database. The SMS sandbox plays the phones.
"""

from __future__ import annotations

import subprocess
import tempfile
import time
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from pathlib import Path

import pytest
from celery import shared_task
from django.conf import settings
from django.core import checks
from django.db import transaction
from django.utils import timezone

from backend import periodic
from backend.alerts.models import Notification
from backend.alerts.services import notify
from backend.incidents.models import IncidentEvent, Task
from drills.models import Drill
from tests.inventory import conftest as inventory_fixtures
from tests.support.servers import ROOT, VENV_BIN, _stop, process_env

from .conftest import ENV  # noqa: F401 - sets the TWILIO_* environment the subprocesses inherit

# Fixtures of the inventory tests: depots, items and a way to receive stock.
depots, items, stock = inventory_fixtures.depots, inventory_fixtures.items, inventory_fixtures.stock

BEAT_SUFFIX = f"{settings.REDIS_PREFIX.removeprefix('erc-test')}-beat"
FAST = {
    "ERC_TEST_SUFFIX": BEAT_SUFFIX,  # own Celery queue, cache and channel prefix (database: DATABASE_URL)
    "DRILLS_TICK_SECONDS": "1",
    "ALERTS_ESCALATE_SECONDS": "1",
    "ALERTS_SWEEP_SECONDS": "1",
    "ROSTER_CHECK_SECONDS": "2",
    "STOCK_ALERTS_SECONDS": "2",
    "ESCALATION_MINUTE_SECONDS": "1",
    "SMS_SENDING_TIMEOUT_SECONDS": "2",
    "SMS_REQUEUE_GRACE_SECONDS": "1",
}


@shared_task(name="tests.periodic.too_short", time_limit=60)
def too_short():
    """Like alerts.sweep before the fix: its own time_limit below the global soft limit (100 s)."""


# --- The system check --------------------------------------------------------------------


def beat_errors():
    return [e for e in checks.run_checks(tags=["celery"]) if e.is_serious()]


def test_the_projects_beat_schedule_passes_the_check():
    assert beat_errors() == []


def test_an_entry_celery_would_refuse_to_send_fails_the_check(settings):
    settings.CELERY_BEAT_SCHEDULE = {
        **settings.CELERY_BEAT_SCHEDULE,
        "bad.limits": {"task": "tests.periodic.too_short", "schedule": 30.0},
    }
    [error] = beat_errors()
    assert error.id == "erc.E104" and "bad.limits" in error.msg and "soft_time_limit 100" in error.msg


def test_unknown_tasks_bad_periods_and_options_fail_the_check(settings):
    settings.CELERY_BEAT_SCHEDULE = {
        "typo": {"task": "alerts.escalate_due_typo", "schedule": 30.0},
        "zero": {"task": "alerts.sweep", "schedule": 0},
        "odd": {"task": "drills.tick", "schedule": 5.0, "options": {"expire": 5}},
    }
    assert sorted(e.id for e in beat_errors()) == ["erc.E101", "erc.E102", "erc.E103"]


def test_beat_refuses_to_start_with_an_entry_celery_would_refuse(settings):
    from backend.celery import _refuse_a_schedule_celery_would_refuse

    settings.CELERY_BEAT_SCHEDULE = {"bad.limits": {"task": "tests.periodic.too_short", "schedule": 30.0}}
    with pytest.raises(SystemExit, match="erc.E104"):
        _refuse_a_schedule_celery_would_refuse()


def test_manage_py_check_fails_on_a_refused_entry():
    """What `make test` and a deploy run: the command exits non-zero."""
    script = (
        "import django; django.setup();"
        "from django.conf import settings; from django.core.management import call_command;"
        "import tests.alerts.test_periodic_work;"
        "settings.CELERY_BEAT_SCHEDULE['bad'] = {'task': 'tests.periodic.too_short', 'schedule': 30.0};"
        "call_command('check', tags=['celery'])"
    )
    done = subprocess.run(
        [str(VENV_BIN / "python"), "-c", script], cwd=ROOT, env=process_env(), capture_output=True, text=True
    )
    assert done.returncode != 0 and "erc.E104" in done.stderr


# --- /healthz reports beat -----------------------------------------------------------------


@pytest.mark.django_db
def test_healthz_beat_is_ok_after_a_recent_periodic_run(client):
    periodic.record_run("drills.tick")
    response = client.get("/healthz/beat")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True and 0 <= body["last_run_age_s"] < 5
    assert client.get("/healthz").json()["beat"]["ok"] is True


@pytest.mark.django_db
def test_a_stale_beat_degrades_healthz_but_keeps_it_200(client, settings):
    shortest = periodic.shortest_period()
    assert shortest == settings.DRILLS_TICK_SECONDS  # 5 s: the drills' tick is the shortest period
    periodic.record_run("drills.tick", at=time.time() - 3 * shortest - 2)

    beat = client.get("/healthz/beat")
    assert beat.status_code == 503
    assert beat.json()["ok"] is False and beat.json()["last_run_age_s"] > 3 * shortest

    health = client.get("/healthz")
    body = health.json()
    # The database and Redis answer; whether a worker does depends on the session: only then is
    # the status "degraded" (the beat alone must not make it 503).
    assert body["beat"]["ok"] is False and body["beat"]["last_run_age_s"] > 3 * shortest
    if body["celery"]["ok"]:
        assert health.status_code == 200 and body["status"] == "degraded"
    else:
        assert health.status_code == 503 and body["status"] == "unavailable"


@pytest.mark.django_db
def test_a_beat_that_never_ran_is_not_ok(client):
    from django.core.cache import cache

    cache.delete(periodic.LAST_RUN_KEY)
    body = client.get("/healthz/beat").json()
    assert body == {"ok": False, "last_run_age_s": None, "stale_after_s": 3 * settings.DRILLS_TICK_SECONDS}


# --- Real beat, real worker, real time --------------------------------------------------------


@contextmanager
def _process(args: list[str], folder: Path, name: str, ready: str | None = None):
    log_path = folder / f"{name}.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(args, cwd=ROOT, env=process_env(**FAST), stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while ready and ready not in log_path.read_text():
            assert proc.poll() is None, log_path.read_text()
            assert time.monotonic() < deadline, f"{name} not ready in 30 s: {log_path.read_text()}"
            time.sleep(0.2)
        yield proc, log_path
    finally:
        _stop(proc)
        log.close()


@contextmanager
def beat_and_worker():
    with tempfile.TemporaryDirectory(prefix="erc-periodic-") as tmp, ExitStack() as stack:
        folder = Path(tmp)
        queue = f"erc-test{BEAT_SUFFIX}.default"
        worker, worker_log = stack.enter_context(
            _process(
                [
                    str(VENV_BIN / "celery"),
                    "-A",
                    "backend",
                    "worker",
                    "--pool",
                    "solo",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel",
                    "INFO",
                    "-n",
                    "periodic-test@%h",
                    "-Q",
                    queue,
                ],
                folder,
                "worker",
                ready="ready.",
            )  # fmt: skip
        )
        beat, beat_log = stack.enter_context(
            _process(
                [
                    str(VENV_BIN / "celery"),
                    "-A",
                    "backend",
                    "beat",
                    "--loglevel",
                    "INFO",
                    "--schedule",
                    str(folder / "schedule"),
                    "--pidfile",
                    str(folder / "beat.pid"),
                ],
                folder,
                "beat",
            )  # fmt: skip
        )
        yield {"worker": (worker, worker_log), "beat": (beat, beat_log)}


def wait_for(what: str, predicate, procs: dict, timeout: float = 45.0):
    deadline = time.monotonic() + timeout
    while not predicate():
        for name, (proc, log) in procs.items():
            assert proc.poll() is None, f"{name} exited:\n{log.read_text()[-3000:]}"
        if time.monotonic() > deadline:
            logs = "\n".join(f"--- {n}\n{log.read_text()[-3000:]}" for n, (_p, log) in procs.items())
            raise AssertionError(f"{what}: not within {timeout} s\n{logs}")
        time.sleep(0.3)


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_every_beat_entry_runs_and_does_its_work(
    settings,
    sandbox,
    open_incident,
    people,
    make_drill,
    depots,
    items,
    stock,
    departments,
    monkeypatch,
):
    settings.ESCALATION_MINUTE_SECONDS = 1  # the incident is opened here: its ladder is timed here
    now = timezone.now()

    # 1. Silence escalates: nobody acknowledges; the default ladder's first step is "10 minutes".
    incident = open_incident(now=now)
    fire_task = Task.objects.get(incident=incident, department__code="fire")
    assert fire_task.acknowledged_at is None

    # 2. A claim whose worker died mid-send: `sending`, no provider id, claimed long ago.
    stale = Notification.objects.filter(incident=incident).order_by("pk").first()
    Notification.objects.filter(pk=stale.pk).update(status="sending", claimed_at=now - timedelta(seconds=30))

    # 3. A queued notification whose broker message was lost (never published).
    monkeypatch.setattr(notify, "schedule_after_commit", lambda *args, **kwargs: None)
    with transaction.atomic():
        lost = notify.enqueue(
            incident=None,
            contact=people["police2"],
            kind=Notification.Kind.NOTICE,
            item={"kind": "notice", "line": "演练通知：周五9时桌面推演"},
            now=now,
        )
    assert lost is not None and lost.status == "queued"

    # 4. A drill due in 2 s with an inject at its start.
    drill = make_drill(injects=[(0, "fire", "筑坝拦截")], start=now + timedelta(seconds=2))

    # 5. Stock below its warning: a lot expiring in 3 days at a depot with a manager.
    city = depots["XZ-CITY-01"]
    city.manager = people["environment2"]
    city.save(update_fields=["manager"])
    stock(city, items["pac"], 1, lot="old", days=3)

    started = time.time()
    with beat_and_worker() as procs:
        wait_for(
            "an `escalated` event for the silent departments",
            lambda: IncidentEvent.objects.filter(incident=incident, event_type="escalated").exists(),
            procs,
        )
        wait_for(
            "the stale claim marked unknown",
            lambda: Notification.objects.get(pk=stale.pk).status == "unknown",
            procs,
        )
        wait_for(
            "the lost queued notification sent",
            lambda: Notification.objects.get(pk=lost.pk).status in ("accepted", "sent", "delivered"),
            procs,
        )
        wait_for(
            "the drill started and its inject delivered",
            lambda: (
                Drill.objects.get(pk=drill.pk).status == Drill.Status.RUNNING
                and not drill.injects.filter(delivered_at__isnull=True).exists()
            ),
            procs,
        )
        wait_for(
            "the stock digest sent to the depot manager",
            lambda: Notification.objects.filter(kind=Notification.Kind.DIGEST, contact=people["environment2"]).exists(),
            procs,
        )
        with override_cache_prefix():
            wait_for(
                "every beat entry recorded a run",
                lambda: all((periodic.last_run(t) or 0) >= started for t in periodic.beat_task_names()),
                procs,
            )
        assert "Couldn't apply scheduled task" not in procs["beat"][1].read_text()

    escalated = IncidentEvent.objects.filter(incident=incident, event_type="escalated").first()
    assert escalated.data["step"] == 1 and escalated.data["waited_minutes"] >= 10
    # The stale claim is left for a person to check (never resent by itself); the lost message
    # reached the phone once.
    stale.refresh_from_db()
    assert stale.status == "unknown" and stale.provider_sid == ""
    assert len([m for m in sandbox.messages if "桌面推演" in m["body"]]) == 1


@contextmanager
def override_cache_prefix():
    """Read the last runs the beat test's worker recorded under its own Redis prefix."""
    from django.test import override_settings

    caches = {"default": {**settings.CACHES["default"], "KEY_PREFIX": f"erc-test{BEAT_SUFFIX}:cache"}}
    with override_settings(CACHES=caches):
        yield
