"""The periodic work (Celery beat entries in settings.CELERY_BEAT_SCHEDULE): is it running, and
could beat send it at all?

Each run of a task named by a beat entry records its time in the cache (Redis), from the worker
that ran it (backend/celery.py connects `record_run` to task_prerun). /healthz reads it back: a
beat that stopped, or entries that Celery refuses to send, show as an old last run.
"""

from __future__ import annotations

import time
from datetime import timedelta

from celery.schedules import schedule as celery_schedule
from django.conf import settings
from django.core.cache import cache

LAST_RUN_KEY = "periodic:last_run"


def beat_task_names() -> set[str]:
    return {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}


def period_seconds(value) -> float | None:
    """A beat entry's period in seconds, or None for a calendar schedule (crontab)."""
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, timedelta):
        return value.total_seconds()
    if type(value) is celery_schedule:  # a plain interval (crontab and solar are subclasses)
        return value.run_every.total_seconds()
    return None


def shortest_period() -> float | None:
    periods = [period_seconds(entry["schedule"]) for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    periods = [p for p in periods if p]
    return min(periods) if periods else None


def record_run(task_name: str, at: float | None = None) -> None:
    if task_name not in beat_task_names():
        return
    at = time.time() if at is None else at
    cache.set_many({LAST_RUN_KEY: at, f"{LAST_RUN_KEY}:{task_name}": at}, timeout=None)


def last_run(task_name: str | None = None) -> float | None:
    return cache.get(f"{LAST_RUN_KEY}:{task_name}" if task_name else LAST_RUN_KEY)


def beat_health(now: float | None = None) -> dict:
    """{"ok", "last_run_age_s", "stale_after_s"}: not ok when the last periodic run is older than
    BEAT_STALE_FACTOR × the shortest period, or when nothing has run yet."""
    now = time.time() if now is None else now
    shortest = shortest_period()
    stale_after = shortest * settings.BEAT_STALE_FACTOR if shortest else None
    last = last_run()
    age = round(now - last, 1) if last is not None else None
    ok = age is not None and (stale_after is None or age <= stale_after)
    return {"ok": ok, "last_run_age_s": age, "stale_after_s": stale_after}
