"""Celery tasks of drills: thin, they call services.

Due times live in the database (Drill.scheduled_start, Inject.due_at) and this beat task claims
what is due with select_for_update(skip_locked=True): no far-future ETA tasks, which Redis may
run twice and which cannot move when the drill clock pauses (docs/operations.md, "Traps").
"""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="drills.tick", time_limit=60, soft_time_limit=50, ignore_result=False)
def tick() -> dict:
    """Start the drills whose time has come and deliver the injects that are due."""
    return services.tick()
