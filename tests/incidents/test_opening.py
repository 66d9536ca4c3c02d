"""Opening an incident: trace, plan activation, tasks, boundary notification, level."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from backend.incidents.models import Incident, IncidentEvent, Task

pytestmark = pytest.mark.django_db


def at(text: str) -> datetime:
    return datetime.fromisoformat(text)


def test_a_water_spill_activates_the_plan_and_creates_each_department_task(open_water_incident):
    body = open_water_incident()
    assert 4 <= len(body["short_code"]) <= 6
    assert body["river"]["code"] == "hutuo-t"
    assert body["plan"]["river"] == "hutuo-t"
    assert [e["name"] for e in body["trace"]["downstream"]] == ["石坝", "县城水源地", "晋冀交界断面"]

    tasks = {t["department"]: t for t in body["tasks"] if t["source"] == "template"}
    assert set(tasks) == {"environment", "fire", "police"}
    police = tasks["police"]
    created = at(police["created_at"])
    assert at(police["ack_due"]) - created == timedelta(minutes=5)
    assert at(police["due"]) - created == timedelta(minutes=30)
    assert police["status"] == "pending"


def test_crossing_the_province_boundary_tells_the_environment_bureau_to_notify_hebei(open_water_incident):
    body = open_water_incident()
    notify = [t for t in body["tasks"] if t["source"] == "boundary"]
    assert len(notify) == 1
    assert notify[0]["department"] == "environment"
    assert notify[0]["text"].startswith("通报下游")
    assert "河北省生态环境厅" in notify[0]["text"]
    assert "曹阳" in notify[0]["contact_hint"] and "+8613900000077" in notify[0]["contact_hint"]


def test_without_a_mass_a_county_intake_downstream_is_a_potential_level_ii_only(open_water_incident):
    # Issue 15: a prediction without a quantity is not grounds for the suggested level.
    body = open_water_incident()
    assert body["level"] == 4
    assert body["suggested_level"] == 4
    assert body["level_confirmed"] is False
    assert body["potential_level"] == 2
    rules = [r["rule"] for r in body["potential_reasons"]]
    assert rules == ["intake_county", "boundary_province"]


def test_a_small_spill_that_stays_below_the_limits_suggests_level_iv(open_water_incident):
    body = open_water_incident(pollutant="cod", mass_kg=1)
    receptors = [e for e in body["trace"]["downstream"] if e["kind"] == "receptor"]
    assert all(e["exceeds"] is False for e in receptors)
    assert body["level"] == 4
    assert body["level_reasons"] == []


def test_a_large_spill_exceeding_at_the_intake_suggests_level_ii(open_water_incident):
    body = open_water_incident(pollutant="cod", mass_kg=50_000)
    intake = next(e for e in body["trace"]["downstream"] if e["name"] == "县城水源地")
    assert intake["exceeds"] is True
    assert body["level"] == 2


def test_trace_times_count_from_when_the_spill_occurred(open_water_incident):
    occurred = "2026-11-29T06:00:00+08:00"
    body = open_water_incident(occurred_at=occurred)
    intake = next(e for e in body["trace"]["downstream"] if e["name"] == "县城水源地")
    expected = at(occurred) + timedelta(hours=intake["arrival_hours"])
    assert abs((at(intake["arrival_at"]) - expected).total_seconds()) < 1
    # 112.1 → 112.5 °E along 38.5 °N is about 34.9 km: about 19.4 h at 0.5 m/s.
    assert 19.0 < intake["arrival_hours"] < 19.8


def test_opening_writes_a_gapless_event_log(open_water_incident):
    body = open_water_incident()
    events = list(IncidentEvent.objects.filter(incident_id=body["id"]).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert [e.event_type for e in events[:2]] == ["opened", "plan_activated"]
    assert sum(e.event_type == "task_created" for e in events) == Task.objects.filter(incident_id=body["id"]).count()


def test_a_land_incident_has_no_trace_and_no_plan_tasks(api_for, duty_officer, river):
    body = {"title": "化工厂废气", "kind": "air", "location": {"type": "Point", "coordinates": [112.7, 38.4]}}
    response = api_for(duty_officer).post("/api/incidents/", body, format="json")
    assert response.status_code == 201
    assert response.json()["trace"] is None
    # Every event is reported upward (issue 15): the reporting deadline is its only task.
    assert [t["source"] for t in response.json()["tasks"]] == ["reporting"]
    assert response.json()["level"] == 4


def test_a_water_incident_far_from_every_river_still_opens(api_for, duty_officer, river):
    body = {"title": "水库异味", "kind": "water", "location": {"type": "Point", "coordinates": [111.0, 39.6]}}
    response = api_for(duty_officer).post("/api/incidents/", body, format="json")
    assert response.status_code == 201
    assert response.json()["river"] is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"location": {"type": "Point", "coordinates": [200, 38.5]}}, "location"),
        ({"location": {"type": "LineString", "coordinates": [[1, 2], [3, 4]]}}, "location"),
        ({"location": "112.1,38.5"}, "location"),
        ({"pollutant": "nosuch", "mass_kg": 10}, "pollutant"),
        ({"mass_kg": 10}, "pollutant"),
        ({"pollutant": "cod", "mass_kg": -5}, "mass_kg"),
        ({"kind": "fire"}, "kind"),
        ({"title": ""}, "title"),
    ],
)
def test_bad_input_is_a_400_naming_the_field_and_writes_nothing(api_for, duty_officer, river, change, field):
    body = {"title": "泄漏", "kind": "water", "location": {"type": "Point", "coordinates": [112.1, 38.5]}, **change}
    response = api_for(duty_officer).post("/api/incidents/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert Incident.objects.count() == 0


def test_short_codes_are_unique_among_open_incidents(open_water_incident):
    codes = {open_water_incident()["short_code"] for _ in range(15)}
    assert len(codes) == 15


@pytest.mark.parametrize(
    ("known", "level"),
    [
        ({"deaths": 2}, 4),
        ({"deaths": 3}, 3),  # lower bounds are inclusive: 3 deaths is level III
        ({"deaths": 10}, 2),
        ({"deaths": 30}, 1),
        ({"poisoned": 50}, 2),
        ({"evacuated": 5000}, 3),
        ({"direct_loss_yuan": 100_000_000}, 1),
        ({"evacuated": 4999, "direct_loss_yuan": 20_000_000}, 2),
    ],
)
def test_known_consequences_set_the_suggested_level(api_for, duty_officer, river, known, level):
    body = {"title": "化工厂爆炸", "kind": "air", "location": {"type": "Point", "coordinates": [112.7, 38.4]}, **known}
    response = api_for(duty_officer).post("/api/incidents/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["suggested_level"] == level
    assert response.json()["level"] == level


def test_new_figures_raise_the_suggestion_until_the_officer_confirms(api_for, duty_officer, river):
    client = api_for(duty_officer)
    body = {"title": "化工厂爆炸", "kind": "air", "location": {"type": "Point", "coordinates": [112.7, 38.4]}}
    incident = client.post("/api/incidents/", body, format="json").json()
    assert incident["level"] == 4
    raised = client.post(f"/api/incidents/{incident['id']}/impact/", {"evacuated": 12000}, format="json").json()
    assert raised["suggested_level"] == 2 and raised["level"] == 2
    assert raised["level_reasons"][0] == {
        "rule": "evacuated",
        "level": 2,
        "value": 12000,
        "threshold": 10000,
        "basis": "confirmed",
    }
    client.post(f"/api/incidents/{incident['id']}/level/", {"level": 3, "reason": "已核实疏散人数"}, format="json")
    again = client.post(f"/api/incidents/{incident['id']}/impact/", {"deaths": 12}, format="json").json()
    assert again["suggested_level"] == 2 and again["level"] == 3  # the officer's decision stands
    bad = client.post(f"/api/incidents/{incident['id']}/impact/", {"deaths": -1}, format="json")
    assert bad.status_code == 400 and "deaths" in bad.json()
