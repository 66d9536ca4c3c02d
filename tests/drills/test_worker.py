"""The beat task `drills.tick` in a real Celery worker: it starts a drill at its time and
delivers injects at offsets of seconds (the worker reads the clock itself, so this test
checks order and effects; the exact minutes are checked with `now` in test_running.py)."""

from __future__ import annotations

import subprocess
import tempfile
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from backend.incidents.models import IncidentEvent
from drills.models import Drill
from drills.tasks import tick
from tests.support.servers import ROOT, VENV_BIN, _stop, process_env

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _tick_until(condition, timeout: float = 40.0) -> list[dict]:
    results = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        results.append(tick.delay().get(timeout=30))
        if condition():
            return results
        time.sleep(0.5)
    raise AssertionError(f"not reached within {timeout} s; tick results: {results}")


def test_the_worker_starts_the_drill_and_delivers_injects_at_their_offsets(celery_worker_process, make_drill):
    start = timezone.now() + timedelta(seconds=2)
    # Offsets of seconds: 0, 3 and 6 s after the start.
    drill = make_drill(
        injects=[(0, "fire", "筑坝"), (0.05, "police", "封路"), (0.1, "environment", "采样")], start=start
    )

    _tick_until(lambda: Drill.objects.get(pk=drill.pk).status == Drill.Status.RUNNING)
    drill.refresh_from_db()
    assert drill.incident.exercise is True
    assert timezone.now() >= start

    _tick_until(lambda: not drill.injects.filter(delivered_at__isnull=True).exists())

    delivered = list(
        IncidentEvent.objects.filter(incident=drill.incident, event_type="inject_delivered").order_by("seq")
    )
    assert [e.data["number"] for e in delivered] == [1, 2, 3]
    for event, offset in zip(delivered, (0, 3, 6), strict=True):
        # Never early; late by at most the polling interval plus a worker round trip.
        lateness = (event.at - (drill.started_at + timedelta(seconds=offset))).total_seconds()
        assert -0.01 <= lateness < 5, (event.data["number"], lateness)
    # Each inject delivered exactly once, each with its task.
    assert sorted(drill.injects.values_list("task__department__code", flat=True)) == ["environment", "fire", "police"]
    assert celery_worker_process.poll() is None


def test_real_beat_and_worker_run_a_drill_by_themselves(celery_worker_process, make_drill):
    """Nobody calls the task here: beat sends drills.tick every second, the worker runs it."""
    start = timezone.now() + timedelta(seconds=3)
    drill = make_drill(injects=[(0, "fire", "筑坝"), (0.05, "police", "封路")], start=start)
    with tempfile.TemporaryDirectory(prefix="erc-beat-") as folder:
        log = open(Path(folder) / "beat.log", "w")
        beat = subprocess.Popen(
            [str(VENV_BIN / "celery"), "-A", "tests.drills.beat_app", "beat", "--loglevel", "INFO",
             "--schedule", str(Path(folder) / "schedule"), "--pidfile", str(Path(folder) / "beat.pid")],
            cwd=ROOT, env=process_env(), stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 45
            while drill.injects.filter(delivered_at__isnull=True).exists():
                assert beat.poll() is None, (Path(folder) / "beat.log").read_text()
                assert time.monotonic() < deadline, "beat and worker did not deliver the injects in 45 s"
                time.sleep(0.5)
        finally:
            _stop(beat)
            log.close()
    drill.refresh_from_db()
    assert drill.status == Drill.Status.RUNNING and drill.started_at >= start
    delivered = IncidentEvent.objects.filter(incident=drill.incident, event_type="inject_delivered").order_by("seq")
    assert [e.data["number"] for e in delivered] == [1, 2]
    assert (delivered[1].at - drill.started_at).total_seconds() >= 3
