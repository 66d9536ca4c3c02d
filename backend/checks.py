"""System checks of the running system's configuration.

`beat_schedule`: every beat entry names a registered task, with a period Celery accepts and
options Celery would not refuse. Celery checks soft_time_limit ≤ time_limit only when beat sends
the task, and beat merely logs the refusal on every tick, so a bad entry never runs and nobody
notices: this check makes `manage.py check` (run by `make test`) and beat's own start fail instead
(backend/celery.py runs it when beat starts).
"""

from __future__ import annotations

import importlib
import importlib.util
from datetime import timedelta

from celery.schedules import BaseSchedule
from django.apps import apps
from django.conf import settings
from django.core.checks import Error, register

# Options apply_async accepts that make sense in a beat entry.
KNOWN_OPTIONS = {
    "expires",
    "queue",
    "exchange",
    "routing_key",
    "priority",
    "countdown",
    "time_limit",
    "soft_time_limit",
    "serializer",
    "ignore_result",
    "headers",
}


def _entry_errors(name: str, entry: dict, tasks) -> list[Error]:
    errors = []
    where = f"CELERY_BEAT_SCHEDULE[{name!r}]"
    task = tasks.get(entry.get("task", ""))
    if task is None:
        return [Error(f"{where} names the task {entry.get('task')!r}, which no app registers.", id="erc.E101")]
    schedule = entry.get("schedule")
    if isinstance(schedule, int | float):
        valid = schedule > 0
    elif isinstance(schedule, timedelta):
        valid = schedule.total_seconds() > 0
    else:
        valid = isinstance(schedule, BaseSchedule)
    if not valid:
        errors.append(Error(f"{where} has the schedule {schedule!r}: a positive period or a crontab.", id="erc.E102"))
    options = entry.get("options", {}) or {}
    unknown = sorted(set(options) - KNOWN_OPTIONS)
    if unknown:
        errors.append(Error(f"{where} has options Celery does not take here: {', '.join(unknown)}.", id="erc.E103"))
    # The same rule Task.apply_async applies when beat sends the task.
    soft = options.get("soft_time_limit", task.soft_time_limit)
    hard = options.get("time_limit", task.time_limit)
    if soft and hard and soft > hard:
        errors.append(
            Error(
                f"{where}: task {task.name!r} has soft_time_limit {soft} above time_limit {hard}; Celery refuses "
                "to send it and beat would skip it on every tick.",
                hint="Set both limits on the task (soft ≤ hard).",
                id="erc.E104",
            )
        )
    expires = options.get("expires")
    if isinstance(expires, int | float) and expires <= 0:
        errors.append(Error(f"{where} expires after {expires} s: the task would never run.", id="erc.E105"))
    return errors


@register("celery")
def beat_schedule(app_configs=None, **kwargs) -> list[Error]:
    from backend.celery import app

    # The apps' tasks modules, as Celery's autodiscovery imports them (it is lazy; calling its
    # loader here would re-enter Celery's own Django fixup, which runs these checks).
    for config in apps.get_app_configs():
        if importlib.util.find_spec(f"{config.name}.tasks") is not None:
            importlib.import_module(f"{config.name}.tasks")
    errors = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        errors.extend(_entry_errors(name, entry, app.tasks))
    return errors
