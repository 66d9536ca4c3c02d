"""Celery tasks of the directory: thin, they call services."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from . import services

log = logging.getLogger(__name__)


@shared_task(name="directory.check_roster_coverage", time_limit=60, soft_time_limit=50)
def check_roster_coverage(hours: int = 24) -> dict[str, list[list[str]]]:
    """Find the departments that nobody is rostered for in the next `hours`, so the duty
    office fixes the roster before an incident needs them (the fallback is the priority-1
    contact, who may be asleep). Returns {department code: [[gap start, gap end], ...]}."""
    start = timezone.now()
    gaps = services.roster_gaps(start, start + timedelta(hours=hours))
    for code, holes in gaps.items():
        log.warning("roster gap for %s: %s", code, ", ".join(f"{a:%m-%d %H:%M}–{b:%m-%d %H:%M}" for a, b in holes))
    return {code: [[a.isoformat(), b.isoformat()] for a, b in holes] for code, holes in gaps.items()}
