"""Acting on the board: task actions by role, level, status, notes, samples, the event API,
exercise separation, and seq staying gapless under concurrent writers."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from backend.incidents import services
from backend.incidents.models import Incident, IncidentEvent

pytestmark = pytest.mark.django_db


def task_of(body, department):
    return next(t for t in body["tasks"] if t["department"] == department and t["source"] == "template")


def test_a_liaison_acknowledges_starts_and_completes_their_own_task(api_for, fire_liaison, open_water_incident):
    body = open_water_incident()
    task = task_of(body, "fire")
    client = api_for(fire_liaison)
    ack = client.post(f"/api/tasks/{task['id']}/acknowledge/")
    assert ack.status_code == 200
    assert ack.json()["status"] == "acknowledged"
    assert ack.json()["acknowledged_at"] is not None
    assert client.post(f"/api/tasks/{task['id']}/start/").json()["status"] == "in_progress"
    done = client.post(f"/api/tasks/{task['id']}/complete/", {"note": "土坝已筑成"}, format="json")
    assert done.json()["status"] == "done"
    assert done.json()["completion_note"] == "土坝已筑成"
    types = list(IncidentEvent.objects.filter(incident_id=body["id"]).values_list("event_type", flat=True))
    assert types[-3:] == ["task_acknowledged", "task_started", "task_completed"]


def test_acknowledging_twice_changes_nothing(api_for, fire_liaison, open_water_incident):
    body = open_water_incident()
    task = task_of(body, "fire")
    client = api_for(fire_liaison)
    first = client.post(f"/api/tasks/{task['id']}/acknowledge/").json()
    count = IncidentEvent.objects.filter(incident_id=body["id"]).count()
    second = client.post(f"/api/tasks/{task['id']}/acknowledge/").json()
    assert second["acknowledged_at"] == first["acknowledged_at"]
    assert IncidentEvent.objects.filter(incident_id=body["id"]).count() == count


def test_a_liaison_cannot_act_on_another_departments_task(api_for, fire_liaison, open_water_incident):
    body = open_water_incident()
    police = task_of(body, "police")
    response = api_for(fire_liaison).post(f"/api/tasks/{police['id']}/acknowledge/")
    assert response.status_code == 403
    assert (
        api_for(fire_liaison).post(f"/api/incidents/{body['id']}/level/", {"level": 1, "reason": "x"}).status_code
        == 403
    )


def test_notes_come_from_the_duty_office_and_a_liaison_in_the_field_records_samples(
    api_for, fire_liaison, duty_officer, open_water_incident
):
    body = open_water_incident()
    liaison = api_for(fire_liaison)
    before = IncidentEvent.objects.filter(incident_id=body["id"]).count()
    assert liaison.post(f"/api/incidents/{body['id']}/notes/", {"text": "x"}, format="json").status_code == 403
    assert IncidentEvent.objects.filter(incident_id=body["id"]).count() == before
    sample = {"location": {"type": "Point", "coordinates": [112.5, 38.5]}, "pollutant": "cod", "value_mg_l": 12}
    assert liaison.post(f"/api/incidents/{body['id']}/samples/", sample, format="json").status_code == 201
    note = api_for(duty_officer).post(f"/api/incidents/{body['id']}/notes/", {"text": "已封控"}, format="json")
    assert note.status_code == 201 and note.json()["data"] == {"text": "已封控"}


def test_a_viewer_only_watches(api_for, viewer, open_water_incident):
    body = open_water_incident()
    client = api_for(viewer)
    assert client.get(f"/api/incidents/{body['id']}/").status_code == 200
    assert client.post(f"/api/tasks/{task_of(body, 'fire')['id']}/acknowledge/").status_code == 403
    assert client.post(f"/api/incidents/{body['id']}/notes/", {"text": "hi"}, format="json").status_code == 403
    assert client.post(f"/api/incidents/{body['id']}/status/", {"status": "verified"}).status_code == 403
    assert (
        client.post(
            "/api/incidents/",
            {"title": "x", "kind": "air", "location": {"type": "Point", "coordinates": [112, 38]}},
            format="json",
        ).status_code
        == 403
    )


def test_a_liaison_asks_for_reassignment_and_the_officer_reassigns(
    api_for, fire_liaison, duty_officer, open_water_incident
):
    body = open_water_incident()
    task = task_of(body, "fire")
    asked = api_for(fire_liaison).post(
        f"/api/tasks/{task['id']}/reassign/", {"reason": "应由应急局负责"}, format="json"
    )
    assert asked.status_code == 200 and asked.json()["reassign_requested"] is True
    sneaky = api_for(fire_liaison).post(f"/api/tasks/{task['id']}/reassign/", {"department": "police"}, format="json")
    assert sneaky.status_code == 403
    moved = api_for(duty_officer).post(
        f"/api/tasks/{task['id']}/reassign/", {"department": "emergency", "reason": "同意"}, format="json"
    )
    assert moved.status_code == 200
    assert moved.json()["department"] == "emergency"
    assert moved.json()["status"] == "pending"
    assert api_for(fire_liaison).post(f"/api/tasks/{task['id']}/acknowledge/").status_code == 403


def test_the_officer_changes_the_level_with_a_reason(api_for, duty_officer, open_water_incident):
    body = open_water_incident(pollutant="cod", mass_kg=50_000)  # predicted above the intake's limit: II
    client = api_for(duty_officer)
    missing = client.post(f"/api/incidents/{body['id']}/level/", {"level": 3}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    out_of_range = client.post(f"/api/incidents/{body['id']}/level/", {"level": 5, "reason": "x"}, format="json")
    assert out_of_range.status_code == 400 and "level" in out_of_range.json()
    ok = client.post(
        f"/api/incidents/{body['id']}/level/", {"level": 3, "reason": "水源地已切换备用水源"}, format="json"
    )
    assert ok.status_code == 200
    assert ok.json()["level"] == 3 and ok.json()["level_confirmed"] is True
    last = client.get(f"/api/incidents/{body['id']}/events/?after={body['last_seq']}").json()
    assert last[-1]["event_type"] == "level_changed"
    assert last[-1]["data"] == {"from": 2, "to": 3, "reason": "水源地已切换备用水源", "suggested": 2}


def test_status_moves_forward_closing_needs_a_summary_and_reopen_is_an_event(
    api_for, duty_officer, open_water_incident
):
    body = open_water_incident()
    client = api_for(duty_officer)
    url = f"/api/incidents/{body['id']}"
    assert client.post(f"{url}/status/", {"status": "responding"}).json()["status"] == "responding"
    backwards = client.post(f"{url}/status/", {"status": "verified"})
    assert backwards.status_code == 409 and "error" in backwards.json()
    no_summary = client.post(f"{url}/close/", {"summary": ""}, format="json")
    assert no_summary.status_code == 400 and "summary" in no_summary.json()
    assert client.post(f"{url}/status/", {"status": "closed"}).status_code == 400
    closed = client.post(f"{url}/close/", {"summary": "污染团已拦截，水质达标"}, format="json")
    assert closed.json()["status"] == "closed" and closed.json()["closed_at"]
    assert client.post(f"{url}/notes/", {"text": "x"}).status_code == 201  # notes still allowed on the record
    reopened = client.post(f"{url}/reopen/", {"reason": "下游复测超标"}, format="json")
    assert reopened.json()["status"] == "responding"
    types = [e["event_type"] for e in client.get(f"{url}/events/").json()]
    assert types[-4:] == ["status_changed", "closed", "note", "reopened"]


def test_events_after_returns_only_newer_events_in_order(api_for, duty_officer, open_water_incident):
    body = open_water_incident()
    client = api_for(duty_officer)
    everything = client.get(f"/api/incidents/{body['id']}/events/?after=0").json()
    assert [e["seq"] for e in everything] == list(range(1, len(everything) + 1))
    assert set(everything[0]) == {"seq", "event_type", "at", "actor", "data"}
    tail = client.get(f"/api/incidents/{body['id']}/events/?after=3").json()
    assert tail == everything[3:]
    assert client.get(f"/api/incidents/{body['id']}/events/?after=x").status_code == 400


def test_a_sample_is_recorded_and_logged(api_for, duty_officer, open_water_incident):
    body = open_water_incident()
    sample = {"location": {"type": "Point", "coordinates": [112.5, 38.5]}, "pollutant": "cod", "value_mg_l": 31.5}
    response = api_for(duty_officer).post(f"/api/incidents/{body['id']}/samples/", sample, format="json")
    assert response.status_code == 201
    bad = api_for(duty_officer).post(
        f"/api/incidents/{body['id']}/samples/", {**sample, "value_mg_l": -1}, format="json"
    )
    assert bad.status_code == 400 and "value_mg_l" in bad.json()
    event = IncidentEvent.objects.filter(incident_id=body["id"]).last()
    assert event.event_type == "sample_recorded" and event.data["value_mg_l"] == 31.5


def test_exercises_are_kept_apart_and_hidden_from_outsiders(
    api_for, duty_officer, viewer, fire_liaison, open_water_incident
):
    real = open_water_incident()
    drill = open_water_incident(exercise=True, title="演练：罐车泄漏")
    officer = api_for(duty_officer)
    assert [i["id"] for i in officer.get("/api/incidents/").json()["results"]] == [real["id"]]
    assert [i["id"] for i in officer.get("/api/incidents/?exercise=true").json()["results"]] == [drill["id"]]
    assert api_for(viewer).get(f"/api/incidents/{drill['id']}/").status_code == 404
    assert api_for(viewer).get("/api/incidents/?exercise=true").json()["count"] == 0
    # The fire department has a task in the drill: its liaison takes part and sees it.
    assert api_for(fire_liaison).get(f"/api/incidents/{drill['id']}/").status_code == 200


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_seq_gapless(open_water_incident):
    body = open_water_incident()
    incident = Incident.objects.get(pk=body["id"])
    errors = []

    def write(n):
        try:
            for i in range(5):
                services.add_note(incident, f"writer {n} note {i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    seqs = list(IncidentEvent.objects.filter(incident=incident).order_by("seq").values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
    assert IncidentEvent.objects.filter(incident=incident, event_type="note").count() == 40
    incident.refresh_from_db()
    assert incident.last_seq == len(seqs)


def test_a_sample_is_shown_beside_the_models_prediction(api_for, duty_officer, open_water_incident):
    # 1,000 kg COD spilled at 112.1 °E on a river with u 0.5 m/s, Q 20 m³/s, E 30 m²/s.
    body = open_water_incident(pollutant="cod", mass_kg=1000, occurred_at="2026-11-29T00:00:00+08:00")
    # Sampled on the river 20 km downstream at the moment the peak arrives (40,000 s later):
    # docs/domain.md's worked example gives 6.44 mg/L there.
    lon = 112.1 + 20_000 / (111_320 * 0.78260) * 1.0  # ~20 km east along 38.5 °N (cos 38.5° ≈ 0.7826)
    sampled_at = "2026-11-29T11:06:40+08:00"
    sample = {
        "location": {"type": "Point", "coordinates": [lon, 38.5]},
        "pollutant": "cod",
        "value_mg_l": 6.0,
        "sampled_at": sampled_at,
    }
    assert api_for(duty_officer).post(f"/api/incidents/{body['id']}/samples/", sample, format="json").status_code == 201
    event = IncidentEvent.objects.filter(incident_id=body["id"], event_type="sample_recorded").get()
    assert abs(event.data["distance_m"] - 20_000) < 300
    assert event.data["predicted_mg_l"] == pytest.approx(6.44, rel=0.05)
    assert event.data["value_mg_l"] == 6.0
