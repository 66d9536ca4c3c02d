"""Drill incidents, their tasks and events never mix with real ones in lists and statistics."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.incidents.models import Incident
from drills import services

from .conftest import T0

pytestmark = pytest.mark.django_db


def test_drill_incidents_and_tasks_stay_out_of_real_lists(
    make_drill, open_water_incident, api_for, duty_officer, fire_liaison, trainer
):
    real = open_water_incident()
    drill = services.start_drill(make_drill(injects=[(0, "fire", "筑坝")]), actor=trainer, now=T0)
    services.tick(T0 + timedelta(minutes=1))
    assert Incident.objects.filter(exercise=True).count() == 1

    for user in (duty_officer, fire_liaison, trainer):
        api = api_for(user)
        incidents = api.get("/api/incidents/").json()["results"]
        assert [i["id"] for i in incidents if i["id"] == drill.incident_id] == [], user
        assert all(i["exercise"] is False for i in incidents)
        assert all(i["exercise"] is True for i in api.get("/api/incidents/", {"exercise": "true"}).json()["results"])

    liaison = api_for(fire_liaison)
    real_tasks = liaison.get("/api/tasks/").json()["results"]
    assert real_tasks and {t["incident"] for t in real_tasks} == {real["id"]}
    drill_tasks = liaison.get("/api/tasks/", {"exercise": "true"}).json()["results"]
    assert drill_tasks and {t["incident"] for t in drill_tasks} == {drill.incident_id}
    # The exercise incident's SMS path is marked: the opened event says exercise.
    opened = drill.incident.events.get(event_type="opened")
    assert opened.data["exercise"] is True


def test_drill_lists_filter_by_status_river_department_and_month(make_drill, api_for, trainer):
    june = make_drill(title="六月", participants=("fire",))
    july = make_drill(title="七月", start=T0 + timedelta(days=30), participants=("police",))
    services.cancel_drill(july, now=T0)
    api = api_for(trainer)

    def titles(**params):
        return sorted(d["title"] for d in api.get("/api/drills/", params).json()["results"])

    assert titles() == ["七月", "六月"]
    assert titles(status="scheduled") == ["六月"]
    assert titles(department="police") == ["七月"]
    assert titles(river="hutuo-t") == ["七月", "六月"] and titles(river="fen") == []
    assert titles(month="2026-06") == ["六月"] and titles(month="2026-07") == ["七月"]
    assert api.get("/api/drills/", {"month": "June"}).status_code == 400
    assert june.pk != july.pk


def test_drill_dispatches_are_simulated_unless_the_drill_is_a_live_stock_exercise(
    make_drill, open_water_incident, trainer
):
    from drills.stock import dispatch_is_simulated

    real = open_water_incident()
    tabletop = services.start_drill(make_drill(title="桌面"), actor=trainer, now=T0)
    live = services.start_drill(make_drill(title="实物", live_stock_exercise=True), actor=trainer, now=T0)
    assert dispatch_is_simulated(real["id"]) is False
    assert dispatch_is_simulated(tabletop.incident_id) is True
    assert dispatch_is_simulated(live.incident_id) is False
    assert dispatch_is_simulated(None) is False


def test_only_the_participating_departments_play_the_exercise(make_drill, trainer, departments, make_user, api_for):
    # The plan has tasks for environment, fire and police; only fire takes part in this drill.
    drill = services.start_drill(make_drill(participants=("fire",)), actor=trainer, now=T0)
    codes = set(drill.incident.tasks.values_list("department__code", flat=True))
    assert codes == {"fire"}
    police_liaison = make_user("liaison", "police")
    assert api_for(police_liaison).get(f"/api/incidents/{drill.incident.pk}/").status_code in (403, 404)
    score = api_for(trainer).get(f"/api/drills/{drill.pk}/score/").json()
    assert [d["department"] for d in score["departments"]] == ["fire"]
