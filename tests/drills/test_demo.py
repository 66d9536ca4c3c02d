"""The demo drills load on top of the directory and plans demos, and load again harmlessly."""

from __future__ import annotations

import pytest

from backend.directory import demo as directory_demo
from backend.directory import roles
from drills import demo
from drills.models import Drill
from drills.report import render_report_pdf
from drills.scorecard import drill_score
from plans import demo as plans_demo

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_finished_and_a_scheduled_drill_and_is_idempotent():
    roles.sync_roles()
    directory_demo.load()
    plans_demo.load()
    demo.load()
    demo.load()

    finished = Drill.objects.get(title=demo.FINISHED)
    scheduled = Drill.objects.get(title=demo.SCHEDULED)
    assert Drill.objects.count() == 2
    assert finished.status == Drill.Status.ENDED and finished.incident.exercise and finished.incident.status == "closed"
    assert scheduled.status == Drill.Status.SCHEDULED and scheduled.plan.river.code == "hutuo"
    assert finished.evaluations.exists() and finished.observations.count() == 4
    assert finished.improvement_items.count() == 2 and finished.paused_seconds == 600
    score = drill_score(finished)
    assert score["total"] is not None and len(score["departments"]) >= 4
    assert render_report_pdf(finished).startswith(b"%PDF")
