"""Trends: each department's score and response times across past drills, so a trainer sees
whether, say, the fire department is getting faster."""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone

from backend.directory.models import Department

from .charts import trend_svg
from .scorecard import drill_score


def department_trends(drills, department: str | None = None) -> dict:
    """drills: a queryset of ended drills. Returns the drills in time order and, per department,
    one point per drill it took part in: score, median acknowledge and complete seconds."""
    ordered = list(drills.order_by("started_at", "pk"))
    points: dict[str, list[dict]] = defaultdict(list)
    for drill in ordered:
        for row in drill_score(drill)["departments"]:
            if department and row["department"] != department:
                continue
            points[row["department"]].append(
                {
                    "drill": drill.pk,
                    "score": row["score"],
                    "acknowledge_seconds": row["acknowledge_seconds"],
                    "complete_seconds": row["complete_seconds"],
                }
            )
    names = dict(Department.objects.filter(code__in=points).values_list("code", "name"))
    order = {
        code: i
        for i, code in enumerate(Department.objects.order_by("sort_order", "code").values_list("code", flat=True))
    }
    return {
        "drills": [
            {"id": d.pk, "title": d.title, "date": timezone.localtime(d.started_at).date().isoformat()} for d in ordered
        ],
        "departments": [
            {"department": code, "name": names.get(code, code), "points": points[code]}
            for code in sorted(points, key=lambda c: (order.get(c, 1_000), c))
        ],
    }


def trend_charts(trends: dict) -> dict:
    """Two SVG charts from department_trends(): scores, and median acknowledgement minutes."""
    labels = [d["date"] for d in trends["drills"]]
    index = {d["id"]: i for i, d in enumerate(trends["drills"])}
    scores, ack = {}, {}
    for row in trends["departments"]:
        score_line: list[float | None] = [None] * len(labels)
        ack_line: list[float | None] = [None] * len(labels)
        for point in row["points"]:
            score_line[index[point["drill"]]] = point["score"]
            seconds = point["acknowledge_seconds"]
            ack_line[index[point["drill"]]] = None if seconds is None else round(seconds / 60, 1)
        scores[row["name"]] = score_line
        ack[row["name"]] = ack_line
    return {
        "scores": trend_svg(labels, scores, label="scores"),
        "acknowledge": trend_svg(labels, ack, label="acknowledge minutes", unit="′"),
    }
