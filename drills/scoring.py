"""The drill score: pure functions of task facts, and a loader that reads the facts from the
exercise incident's event log, its tasks and the evaluations.

For each task, measured from the task's creation with paused time excluded:
ack = 1 within ack_minutes, falling linearly to 0 at twice the target, 0 if never; done = the
same for completion against complete_minutes; timeliness = (ack + done) / 2; completion = 1 if
completed; rating P 1, S 2/3, M 1/3, U 0 (mean of evaluators). Task score =
100 × (0.5·timeliness + 0.2·completion + 0.3·rating), or 100 × (0.5·timeliness + 0.2·completion) / 0.7
when nobody rated it. Department = mean of its tasks; drill total = mean of its departments.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from statistics import mean, median

FORMULA = (
    "For each task, measured from the task's creation, paused time excluded: "
    "ack = 1 if acknowledged within ack_minutes, falling linearly to 0 at twice the target, 0 if never; "
    "done = the same for completion against complete_minutes; timeliness = (ack + done) / 2; "
    "completion = 1 if completed, else 0; rating = P 1, S 2/3, M 1/3, U 0 (the mean when several evaluators rated). "
    "task score = 100 × (0.5·timeliness + 0.2·completion + 0.3·rating), "
    "or 100 × (0.5·timeliness + 0.2·completion) / 0.7 when nobody rated the task; "
    "a department's score = the mean of its tasks; the drill's total = the mean of its departments. "
    "Department times are the medians over its tasks (seconds)."
)
RATING_VALUES = {"P": 1.0, "S": 2 / 3, "M": 1 / 3, "U": 0.0}
RATING_LETTERS = ("P", "S", "M", "U")

Interval = tuple[datetime, datetime]


@dataclass
class TaskFacts:
    task: int
    department: str
    text: str
    created_at: datetime
    ack_minutes: int
    complete_minutes: int | None
    acknowledged_at: datetime | None = None
    completed_at: datetime | None = None
    ratings: list[str] = field(default_factory=list)
    source: str = ""
    inject: int | None = None  # the inject number, for tasks an inject created


def active_seconds(start: datetime, end: datetime, pauses: list[Interval]) -> float:
    """Seconds from start to end on the drill clock: the overlap with every pause is removed."""
    total = (end - start).total_seconds()
    for pause_start, pause_end in pauses:
        overlap = (min(end, pause_end) - max(start, pause_start)).total_seconds()
        if overlap > 0:
            total -= overlap
    return max(total, 0.0)


def timeliness_part(elapsed_seconds: float | None, target_seconds: float) -> float:
    """1 within the target, falling linearly to 0 at twice the target, 0 if it never happened."""
    if elapsed_seconds is None:
        return 0.0
    if elapsed_seconds <= target_seconds:
        return 1.0
    if elapsed_seconds >= 2 * target_seconds:
        return 0.0
    return (2 * target_seconds - elapsed_seconds) / target_seconds


def rating_value(ratings: list[str]) -> float | None:
    return mean(RATING_VALUES[r] for r in ratings) if ratings else None


def task_score(ack: float, done: float, completion: float, rating: float | None) -> float:
    timeliness = (ack + done) / 2
    if rating is None:
        return 100 * (0.5 * timeliness + 0.2 * completion) / 0.7
    return 100 * (0.5 * timeliness + 0.2 * completion + 0.3 * rating)


# The API gives the formula's numbers nearly exact (2/3 → 0.666667, 250/7 → 35.714286): six
# decimals absorb float noise (77.49999999999999 → 77.5) without hiding the arithmetic; pages
# and the PDF round for reading.
PRECISION = 6


def _round(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def score_task(facts: TaskFacts, pauses: list[Interval]) -> dict:
    ack_seconds = active_seconds(facts.created_at, facts.acknowledged_at, pauses) if facts.acknowledged_at else None
    complete_seconds = active_seconds(facts.created_at, facts.completed_at, pauses) if facts.completed_at else None
    ack_target = facts.ack_minutes * 60
    complete_target = facts.complete_minutes * 60 if facts.complete_minutes else None
    ack = timeliness_part(ack_seconds, ack_target)
    completion = 1.0 if facts.completed_at else 0.0
    # A task without a completion target (a manual one) is on time whenever it is done.
    done = timeliness_part(complete_seconds, complete_target) if complete_target else completion
    rating = rating_value(facts.ratings)
    return {
        "task": facts.task,
        "department": facts.department,
        "text": facts.text,
        "source": facts.source,
        "inject": facts.inject,
        "acknowledge_seconds": _round(ack_seconds, 1),
        "complete_seconds": _round(complete_seconds, 1),
        "ack_target_seconds": ack_target,
        "complete_target_seconds": complete_target,
        "ack": _round(ack, PRECISION),
        "done": _round(done, PRECISION),
        "timeliness": _round((ack + done) / 2, PRECISION),
        "completion": completion,
        "rating": _round(rating, PRECISION),
        "ratings": sorted(facts.ratings, key=RATING_LETTERS.index),
        "score": _round(task_score(ack, done, completion, rating), PRECISION),
        "_score": task_score(ack, done, completion, rating),
    }


def _median(values: list[float]) -> float | None:
    return _round(median(values), 1) if values else None


def score_department(code: str, parts: list[dict]) -> dict:
    ack_times = [p["acknowledge_seconds"] for p in parts if p["acknowledge_seconds"] is not None]
    done_times = [p["complete_seconds"] for p in parts if p["complete_seconds"] is not None]
    ack_target = _median([p["ack_target_seconds"] for p in parts])
    done_target = _median([p["complete_target_seconds"] for p in parts if p["complete_target_seconds"]])
    ack_median, done_median = _median(ack_times), _median(done_times)
    counts = dict.fromkeys(RATING_LETTERS, 0)
    for part in parts:
        for letter in part["ratings"]:
            counts[letter] += 1
    exact = mean(p.pop("_score") for p in parts)
    return {
        "department": code,
        "acknowledge_seconds": ack_median,
        "complete_seconds": done_median,
        # The issue's target_seconds/on_time are scalars: the tasks' target time from activation
        # (docs/domain.md: "what drills are scored against"), i.e. completion; the acknowledgement
        # target and whether it was met sit beside them under their own names.
        "target_seconds": done_target,
        # Never done counts as late (the formula scores it 0); null only without a target.
        "on_time": None if done_target is None else done_median is not None and done_median <= done_target,
        "acknowledge_target_seconds": ack_target,
        "acknowledge_on_time": ack_median is not None and ack_median <= ack_target,
        "rating_counts": counts,
        "score": _round(exact, PRECISION),
        "tasks": parts,
        "_score": exact,
    }


def score_drill(tasks: list[TaskFacts], pauses: list[Interval], order: list[str] | None = None) -> dict:
    """The whole score. `order` lists department codes in display order (others follow by code)."""
    by_department: dict[str, list[dict]] = defaultdict(list)
    for facts in tasks:
        by_department[facts.department].append(score_task(facts, pauses))
    rank = {code: i for i, code in enumerate(order or [])}
    codes = sorted(by_department, key=lambda c: (rank.get(c, len(rank)), c))
    departments = [score_department(code, by_department[code]) for code in codes]
    total = mean(d.pop("_score") for d in departments) if departments else None
    return {"total": _round(total, PRECISION), "departments": departments, "formula": FORMULA}
