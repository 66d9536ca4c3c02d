"""Trends: a department's score and times across ended drills (is the fire department getting faster?)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.incidents import services as incidents
from drills import services

from .conftest import T0

pytestmark = pytest.mark.django_db


def _run(make_drill, trainer, start, fire_ack_minutes):
    drill = services.start_drill(make_drill(title=f"演练 {start:%m-%d}", start=start), actor=trainer, now=start)
    for task in drill.incident.tasks.filter(department__code="fire"):
        incidents.acknowledge_task(task, now=start + timedelta(minutes=fire_ack_minutes))
    return services.end_drill(drill, actor=trainer, now=start + timedelta(hours=2))


def test_trends_show_each_departments_times_across_drills(make_drill, trainer, api_for, client):
    first = _run(make_drill, trainer, T0, fire_ack_minutes=15)
    second = _run(make_drill, trainer, T0 + timedelta(days=60), fire_ack_minutes=5)
    make_drill(title="未开始", start=T0 + timedelta(days=90))  # not ended: not in the trend

    body = api_for(trainer).get("/api/drills/trends/", {"department": "fire"}).json()

    assert [d["id"] for d in body["drills"]] == [first.pk, second.pk]
    (fire,) = body["departments"]
    assert fire["department"] == "fire"
    assert [p["acknowledge_seconds"] for p in fire["points"]] == [900, 300]
    assert fire["points"][1]["score"] > fire["points"][0]["score"]

    client.force_login(trainer)
    page = client.get("/drills/trends/?department=fire").content.decode()
    assert "<svg" in page and 'data-department="fire"' in page and "900 s" in page
