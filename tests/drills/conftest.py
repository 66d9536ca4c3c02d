"""Drills run on the incident tests' river (hutuo-t with an approved plan: environment 10/60,
fire 10/120, police 5/30). Personas: the trainer (controller), another trainer, an evaluator,
the fire liaison (a participant), a viewer and a police liaison (outsiders to a fire-only drill)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from backend.directory import roles
from drills import services
from plans.models import ResponsePlan
from tests.browser import conftest as browser_fixtures
from tests.incidents import conftest as incident_fixtures

# The incident tests' river and its approved plan, shared as fixtures.
hebei = incident_fixtures.hebei
river = incident_fixtures.river
open_water_incident = incident_fixtures.open_water_incident

SPILL = Point(112.1, 38.5005, srid=4326)
T0 = datetime(2026, 6, 5, 9, 0, tzinfo=timezone.get_fixed_timezone(8 * 60))


@pytest.fixture
def trainer(make_user):
    return make_user(roles.TRAINER, "environment", username="trainer")


@pytest.fixture
def other_trainer(make_user):
    return make_user(roles.TRAINER, "environment", username="trainer-2")


@pytest.fixture
def evaluator(make_user):
    return make_user(roles.EVALUATOR, username="evaluator")


@pytest.fixture
def police_liaison(make_user):
    return make_user(roles.LIAISON, "police", username="liaison-police")


@pytest.fixture
def plan(river):
    return ResponsePlan.objects.get(river=river, status=ResponsePlan.Status.APPROVED)


@pytest.fixture
def make_drill(plan, trainer, evaluator, departments):
    """make_drill(injects=[(offset_minutes, to, expected_action), ...]) → a scheduled drill."""

    def make(injects=(), start=T0, participants=("environment", "fire", "police"), **fields):
        drill = services.schedule_drill(
            title=fields.pop("title", "滹沱河突发水污染桌面演练"),
            form="tabletop",
            scope="comprehensive",
            plan=plan,
            location=SPILL,
            narrative="罐车侧翻，苯酚泄漏入河",
            scheduled_start=start,
            duration_minutes=120,
            objectives=["30分钟内完成拦截", "通报下游"],
            departments=[departments[c] for c in participants],
            evaluators=fields.pop("evaluators", [evaluator]),
            actor=trainer,
            now=start - timedelta(days=3),
            **fields,
        )
        for offset, to, action in injects:
            services.save_inject(
                drill,
                offset_minutes=offset,
                from_sender="县应急局值班室",
                to_department=departments[to],
                message=f"模拟信息（{offset} 分钟）",
                expected_action=action,
            )
        return drill

    return make


# Headless Chromium for the page smoke test (module-scoped, from the browser tests).
browser = browser_fixtures.browser
