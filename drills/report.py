"""The after-action report (AAR): one context for the page and the PDF (WeasyPrint).

Charts are inline SVG from charts.py (WeasyPrint runs no JavaScript); the Chinese text is
set in Noto Sans CJK (fonts-noto-cjk), which WeasyPrint embeds as a subset.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from statistics import mean

from django.template.loader import render_to_string
from django.utils import timezone

from backend.directory.models import Department
from backend.incidents.models import IncidentEvent
from backend.names import local_name

from .charts import bars_svg, timeline_svg
from .models import Drill, Observation
from .scorecard import drill_score, pauses_from_log
from .services.planning import same_objective

# An objective counts as met when the tasks of its injects score this much on average.
OBJECTIVE_MET_SCORE = 70.0
ACTION_MARKS = {"task_acknowledged": "ack", "task_completed": "done"}


def _minutes(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / 60, 1)


def _objectives(drill: Drill, task_scores: dict[int, float]) -> list[dict]:
    result = []
    injects = list(drill.injects.exclude(objective=""))
    for text in drill.objectives:
        # Spaces and case aside (older injects were typed, not chosen from the list).
        mine = [i for i in injects if same_objective(i.objective, text)]
        scores = [task_scores[i.task_id] for i in mine if i.task_id in task_scores]
        value = mean(scores) if scores else None
        result.append(
            {"text": text, "score": None if value is None else round(value, 1),
             "met": None if value is None else value >= OBJECTIVE_MET_SCORE}
        )  # fmt: skip
    return result


def _timeline(drill: Drill, names: dict[str, str], codes: list[str], now: datetime):
    if drill.incident_id is None or drill.started_at is None:
        return None
    events = list(IncidentEvent.objects.filter(incident_id=drill.incident_id).order_by("seq"))
    end = drill.ended_at or now
    marks = []
    for event in events:
        data = event.data if isinstance(event.data, dict) else {}
        if event.event_type == "inject_delivered":
            marks.append((event.at, data.get("to"), "inject"))
        elif event.event_type in ACTION_MARKS:
            marks.append((event.at, data.get("department"), ACTION_MARKS[event.event_type]))
    rows = [(code, names.get(code, code)) for code in codes]
    end = max([end, *(m[0] for m in marks)]) if marks else end
    return timeline_svg(
        drill.started_at, max(end, drill.started_at + timedelta(minutes=1)), rows, marks,
        pauses_from_log(events, end), label="timeline",
    )  # fmt: skip


def report_context(drill: Drill, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    score = drill_score(drill, now)
    codes = [d["department"] for d in score["departments"]]
    for code in drill.departments.values_list("code", flat=True):
        if code not in codes:
            codes.append(code)
    # In the reader's language: the report's headings are translated, so are the departments.
    names = {d.code: local_name(d) for d in Department.objects.filter(code__in=codes)}
    rows = []
    task_scores = {}
    for dept in score["departments"]:
        for task in dept["tasks"]:
            task_scores[task["task"]] = task["score"]
        rows.append(
            {
                "code": dept["department"],
                "name": names.get(dept["department"], dept["department"]),
                "tasks": len(dept["tasks"]),
                "ack_minutes": _minutes(dept["acknowledge_seconds"]),
                "ack_target_minutes": _minutes(dept["acknowledge_target_seconds"]),
                "complete_minutes": _minutes(dept["complete_seconds"]),
                "complete_target_minutes": _minutes(dept["target_seconds"]),
                "on_time": dept["on_time"],
                "ack_on_time": dept["acknowledge_on_time"],
                "ratings": dept["rating_counts"],
                "score": dept["score"],
            }
        )
    observations = list(drill.observations.select_related("department", "author"))
    return {
        "drill": drill,
        "score": score,
        "rows": rows,
        "objectives": _objectives(drill, task_scores),
        "timeline": _timeline(drill, names, codes, now),
        "bars": bars_svg([(r["name"], r["score"]) for r in rows], label="scores") if rows else None,
        "strengths": [o for o in observations if o.kind == Observation.Kind.STRENGTH],
        "improvements": [o for o in observations if o.kind == Observation.Kind.IMPROVEMENT],
        "items": list(drill.improvement_items.select_related("department").order_by("due_date", "pk")),
        "injects": list(drill.injects.select_related("to_department").order_by("offset_minutes", "number")),
        "departments": [names.get(c, c) for c in codes],
        "generated_at": now,
    }


def render_report_html(drill: Drill, now: datetime | None = None) -> str:
    return render_to_string("drills/report_pdf.html", report_context(drill, now))


def render_report_document(drill: Drill, now: datetime | None = None):
    """The laid-out WeasyPrint document (tests read its text; write_pdf() makes the file)."""
    from weasyprint import HTML  # imported here: it loads Pango, which only the report needs

    return HTML(string=render_report_html(drill, now), base_url=None).render()


def render_report_pdf(drill: Drill, request=None, now: datetime | None = None) -> bytes:
    return render_report_document(drill, now).write_pdf()
