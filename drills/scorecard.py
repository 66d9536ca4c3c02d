"""Load the facts the score is computed from: the exercise incident's event log (pauses,
acknowledgements, completions), its tasks, and the evaluations. scoring.py does the arithmetic."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from django.utils import timezone

from backend.incidents.models import IncidentEvent, Task

from .models import Drill, Evaluation
from .scoring import FORMULA, Interval, TaskFacts, score_drill

ACK_EVENTS = ("task_acknowledged", "task_started", "task_completed")  # starting or finishing implies seeing it


def pauses_from_log(events: list[IncidentEvent], now: datetime) -> list[Interval]:
    """Pause intervals from the drill_control events; a pause still open ends at the drill's end or now."""
    pauses, opened = [], None
    for event in events:
        if event.event_type != "drill_control":
            continue
        action = event.data.get("action")
        if action == "pause" and opened is None:
            opened = event.at
        elif action in ("resume", "end") and opened is not None:
            pauses.append((opened, event.at))
            opened = None
    if opened is not None:
        pauses.append((opened, now))
    return pauses


def task_facts(drill: Drill, events: list[IncidentEvent]) -> list[TaskFacts]:
    tasks = list(
        Task.objects.filter(incident_id=drill.incident_id)
        .exclude(status=Task.Status.CANCELLED)
        .select_related("department")
        .order_by("created_at", "pk")
    )
    acknowledged: dict[int, datetime] = {}
    completed: dict[int, datetime] = {}
    for event in events:
        task_id = event.data.get("task") if isinstance(event.data, dict) else None
        if task_id is None:
            continue
        if event.event_type in ACK_EVENTS:
            acknowledged.setdefault(task_id, event.at)
        if event.event_type == "task_completed":
            completed.setdefault(task_id, event.at)
        if event.event_type == "task_reassigned":
            # The clock restarts with the new department: earlier acknowledgements do not count.
            acknowledged.pop(task_id, None)
            completed.pop(task_id, None)
    ratings: dict[int, list[str]] = defaultdict(list)
    for task_id, rating in Evaluation.objects.filter(drill=drill).values_list("task_id", "rating"):
        ratings[task_id].append(rating)
    inject_numbers = dict(drill.injects.filter(task__isnull=False).values_list("task_id", "number"))
    return [
        TaskFacts(
            task=task.pk,
            department=task.department.code,
            text=task.text,
            created_at=task.created_at,
            ack_minutes=task.ack_minutes,
            complete_minutes=task.complete_minutes,
            acknowledged_at=acknowledged.get(task.pk, task.acknowledged_at),
            completed_at=completed.get(task.pk, task.completed_at),
            ratings=ratings.get(task.pk, []),
            source=task.source,
            inject=inject_numbers.get(task.pk),
        )
        for task in tasks
    ]


def drill_score(drill: Drill, now: datetime | None = None) -> dict:
    """The score as GET /api/drills/{id}/score/ returns it."""
    if drill.incident_id is None:
        return {"total": None, "departments": [], "formula": FORMULA}
    now = drill.ended_at or now or timezone.now()
    events = list(IncidentEvent.objects.filter(incident_id=drill.incident_id).order_by("seq"))
    order = list(drill.departments.order_by("sort_order", "code").values_list("code", flat=True))
    return score_drill(task_facts(drill, events), pauses_from_log(events, now), order=order)
