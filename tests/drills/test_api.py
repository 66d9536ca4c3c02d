"""The drill API: scheduling, the controller's actions, the MSEL, evaluations and who may do what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from drills import services
from drills.models import Drill

from .conftest import T0

pytestmark = pytest.mark.django_db

BODY = {
    "title": "滹沱河苯酚泄漏桌面演练",
    "form": "tabletop",
    "scope": "comprehensive",
    "location": {"type": "Point", "coordinates": [112.1, 38.5005]},
    "pollutant": "petroleum",
    "mass_kg": 500,
    "narrative": "罐车侧翻",
    "departments": ["environment", "fire", "police"],
    "scheduled_start": "2026-06-05T09:00:00+08:00",
    "duration_minutes": 90,
    "evaluators": ["evaluator"],
    "objectives": ["30分钟内完成拦截"],
}


def test_a_trainer_schedules_a_drill_and_edits_its_msel(api_for, trainer, evaluator, plan):
    api = api_for(trainer)
    response = api.post("/api/drills/", {**BODY, "plan": plan.pk}, format="json")
    assert response.status_code == 201, response.content
    drill = response.json()
    assert drill["trainer"] == "trainer" and drill["status"] == "scheduled" and drill["river"] == "hutuo-t"
    assert set(drill["departments"]) == {"environment", "fire", "police"} and drill["incident"] is None

    made = api.post(
        f"/api/drills/{drill['id']}/injects/",
        {"offset_minutes": 5, "from": "县应急局", "to": "fire", "message": "河面发现油污", "expected_action": "筑坝"},
        format="json",
    )
    assert made.status_code == 201, made.content
    inject = made.json()
    assert (inject["number"], inject["to"], inject["from"], inject["status"]) == (1, "fire", "县应急局", "pending")
    assert inject["targets"] == {"ack_minutes": 10, "complete_minutes": 120}  # the plan's fire template
    assert inject["due_at"].startswith("2026-06-05T09:05:00")

    patched = api.patch(f"/api/drills/{drill['id']}/injects/{inject['id']}/", {"ack_minutes": 4}, format="json")
    assert patched.status_code == 200 and patched.json()["targets"]["ack_minutes"] == 4
    bad = api.post(f"/api/drills/{drill['id']}/injects/", {"offset_minutes": -1, "to": "nobody"}, format="json")
    assert bad.status_code == 400 and {"offset_minutes", "to", "from", "message"} <= set(bad.json())

    moved = api.post(f"/api/drills/{drill['id']}/reschedule/", {"scheduled_start": "2026-06-06T09:00:00+08:00"})
    assert moved.status_code == 200 and moved.json()["scheduled_start"].startswith("2026-06-06T09:00:00")
    listed = api.get(f"/api/drills/{drill['id']}/injects/").json()
    assert listed[0]["due_at"].startswith("2026-06-06T09:05:00")


def test_the_controller_runs_the_drill_through_the_api(api_for, trainer, make_drill, fire_liaison):
    drill = make_drill(
        injects=[(0, "fire", "筑坝"), (600, "police", "封路"), (900, "fire", "")],
        start=timezone.now() + timedelta(hours=1),
    )
    api = api_for(trainer)

    started = api.post(f"/api/drills/{drill.pk}/start/")
    assert started.status_code == 200, started.content
    body = started.json()
    assert body["status"] == "running" and body["incident"] and body["incident_short_code"]
    assert api.post(f"/api/drills/{drill.pk}/start/").status_code == 409
    assert api.post(f"/api/drills/{drill.pk}/pause/").json()["status"] == "paused"
    assert api.post(f"/api/drills/{drill.pk}/resume/").json()["status"] == "running"
    later = drill.injects.get(number=2)
    delivered = api.post(f"/api/drills/{drill.pk}/injects/{later.pk}/deliver/")
    assert delivered.status_code == 200 and delivered.json()["status"] == "delivered"
    adhoc = api.post(
        f"/api/drills/{drill.pk}/injects/",
        {"from": "记者", "to": "environment", "message": "媒体问询", "expected_action": "回应"},
        format="json",
    )
    assert adhoc.status_code == 201 and adhoc.json()["status"] == "delivered" and adhoc.json()["adhoc"]

    # The participant sees the exercise incident and acts on its task through the incidents API.
    liaison = api_for(fire_liaison)
    tasks = liaison.get("/api/tasks/", {"exercise": "true"}).json()["results"]
    fire_inject_task = next(t for t in tasks if t["source"] == "inject")
    assert liaison.post(f"/api/tasks/{fire_inject_task['id']}/acknowledge/").status_code == 200
    assert liaison.get(f"/api/incidents/{body['incident']}/").status_code == 200
    # ... but reads only the injects already delivered.
    assert sorted(i["number"] for i in liaison.get(f"/api/drills/{drill.pk}/injects/").json()) == [1, 2, 4]
    assert len(api.get(f"/api/drills/{drill.pk}/injects/").json()) == 4

    ended = api.post(f"/api/drills/{drill.pk}/end/", {"summary": "完成"}, format="json")
    assert ended.status_code == 200 and ended.json()["status"] == "ended"
    assert api.post(f"/api/drills/{drill.pk}/cancel/").status_code == 409


def test_only_the_drills_trainer_controls_it(api_for, make_drill, other_trainer, evaluator, fire_liaison):
    drill = make_drill(injects=[(5, "fire", "筑坝")])
    inject = drill.injects.get()
    for user in (other_trainer, evaluator, fire_liaison):
        api = api_for(user)
        for action in ("start", "pause", "resume", "end", "cancel"):
            assert api.post(f"/api/drills/{drill.pk}/{action}/").status_code == 403, (user, action)
        assert api.post(f"/api/drills/{drill.pk}/injects/{inject.pk}/deliver/").status_code == 403
        assert api.post(f"/api/drills/{drill.pk}/injects/{inject.pk}/skip/").status_code == 403
        assert api.patch(f"/api/drills/{drill.pk}/", {"title": "x"}, format="json").status_code == 403
    drill.refresh_from_db()
    assert drill.status == Drill.Status.SCHEDULED


def test_people_outside_a_drill_see_nothing_of_it(api_for, make_drill, viewer, police_liaison, duty_officer):
    drill = make_drill(participants=("environment", "fire"))
    drill = services.start_drill(drill, now=T0)
    for user in (viewer, police_liaison):
        api = api_for(user)
        assert api.get("/api/drills/").json()["count"] == 0
        for path in ("", "score/", "injects/", "evaluations/", "report.pdf"):
            url = f"/api/drills/{drill.pk}/{path}" if path != "report.pdf" else f"/api/drills/{drill.pk}/report.pdf"
            assert api.get(url).status_code == 404, (user, path)
        assert api.post(f"/api/drills/{drill.pk}/start/").status_code == 404
    # The viewer does not see the exercise incident either.
    assert api_for(viewer).get(f"/api/incidents/{drill.incident_id}/").status_code == 404


def test_evaluators_rate_and_others_do_not(api_for, make_drill, trainer, evaluator, fire_liaison, other_trainer):
    drill = make_drill()
    drill = services.start_drill(drill, now=T0)
    task = drill.incident.tasks.get(department__code="fire")
    body = {"task": task.pk, "rating": "S", "notes": "拦截坝位置选择犹豫"}

    rated = api_for(evaluator).post(f"/api/drills/{drill.pk}/evaluations/", body, format="json")
    assert rated.status_code == 201, rated.content
    assert rated.json()["department"] == "fire" and rated.json()["evaluator"] == "evaluator"
    again = api_for(evaluator).post(f"/api/drills/{drill.pk}/evaluations/", {**body, "rating": "P"}, format="json")
    assert again.status_code == 201 and drill.evaluations.get().rating == "P"
    assert api_for(evaluator).post(f"/api/drills/{drill.pk}/evaluations/", {**body, "rating": "X"}).status_code == 400
    for user in (trainer, other_trainer, fire_liaison):
        assert api_for(user).post(f"/api/drills/{drill.pk}/evaluations/", body, format="json").status_code == 403

    seen = api_for(evaluator).post(
        f"/api/drills/{drill.pk}/observations/", {"kind": "strength", "text": "响应迅速", "department": "fire"}
    )
    assert seen.status_code == 201 and seen.json()["author"] == "evaluator", seen.content.decode()
    score = api_for(trainer).get(f"/api/drills/{drill.pk}/score/").json()
    fire = next(d for d in score["departments"] if d["department"] == "fire")
    assert fire["rating_counts"] == {"P": 1, "S": 0, "M": 0, "U": 0}


def test_improvement_items_are_tracked_and_overdue_ones_listed(api_for, make_drill, trainer, fire_liaison):
    drill = make_drill()
    api = api_for(trainer)
    today = timezone.localdate()
    made = api.post(
        f"/api/drills/{drill.pk}/improvement-items/",
        {"issue": "拦截坝物资不足", "corrective_action": "补充沙袋", "department": "fire", "owner": "王队长",
         "due_date": (today - timedelta(days=1)).isoformat()},
        format="json",
    )  # fmt: skip
    assert made.status_code == 201, made.content
    item = made.json()
    assert item["overdue"] is True and item["status"] == "open"
    assert [i["id"] for i in api.get("/api/improvement-items/", {"overdue": "true"}).json()["results"]] == [item["id"]]
    assert api_for(fire_liaison).patch(f"/api/improvement-items/{item['id']}/", {"status": "done"}).status_code == 403
    closed = api.patch(f"/api/improvement-items/{item['id']}/", {"status": "done"}, format="json").json()
    assert closed["status"] == "done" and closed["closed_at"] and closed["overdue"] is False
    assert api.get("/api/improvement-items/", {"overdue": "true"}).json()["count"] == 0


def test_the_drills_people_see_its_incident_and_only_its_trainer_commands_it(
    api_for, make_drill, make_user, trainer, other_trainer, departments
):
    observer = make_user("viewer", username="observer")
    water = make_user("liaison", "water", username="liaison-water")  # participant without a task
    drill = make_drill(participants=("environment", "fire", "police", "water"), observers=[observer])
    drill = services.start_drill(drill, now=T0)
    incident = f"/api/incidents/{drill.incident_id}/"

    for user in (observer, water):
        assert api_for(user).get(incident).status_code == 200, user
        assert drill.incident_id in [
            i["id"] for i in api_for(user).get("/api/incidents/?exercise=true").json()["results"]
        ]
    task = {"department": "water", "text": "评估调水方案", "ack_minutes": 10, "complete_minutes": 60}
    assert api_for(trainer).post(f"{incident}tasks/", task, format="json").status_code == 201
    assert api_for(other_trainer).post(f"{incident}tasks/", task, format="json").status_code == 403
    assert api_for(observer).post(f"{incident}tasks/", task, format="json").status_code == 403


def test_a_drill_can_name_its_river_instead_of_the_plan(api_for, trainer, evaluator, plan):
    body = {**BODY, "river": "hutuo-t", "objectives": "第一条\n第二条"}
    response = api_for(trainer).post("/api/drills/", body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["plan"] == plan.pk and response.json()["objectives"] == ["第一条", "第二条"]
    missing = api_for(trainer).post("/api/drills/", BODY, format="json")
    assert missing.status_code == 400 and "plan" in missing.json()
    unknown = api_for(trainer).post("/api/drills/", {**BODY, "river": "nowhere"}, format="json")
    assert unknown.status_code == 400 and "river" in unknown.json()


def test_viewers_cannot_schedule_and_the_schema_lists_the_drill_endpoints(api_for, viewer, trainer, plan):
    assert api_for(viewer).post("/api/drills/", {**BODY, "plan": plan.pk}, format="json").status_code == 403
    schema = api_for(trainer).get("/api/schema/", {"format": "json"})
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in ("/api/drills/", "/api/drills/{id}/score/", "/api/drills/{id}/start/", "/api/drills/{id}/injects/"):
        assert path in paths, path


def test_a_drill_that_ran_cannot_be_deleted(api_for, make_drill, trainer):
    api = api_for(trainer)
    never = make_drill(title="未执行")
    assert api.delete(f"/api/drills/{never.pk}/").status_code == 204
    ran = services.start_drill(make_drill(), now=T0)
    assert api.delete(f"/api/drills/{ran.pk}/").status_code == 409
    assert Drill.objects.filter(pk=ran.pk).exists()


def test_named_evaluators_rate_or_any_evaluator_when_none_is_named(api_for, make_drill, make_user, evaluator):
    other = make_user("evaluator", username="evaluator-2")
    named = services.start_drill(make_drill(title="指定评估员"), now=T0)
    open_ = services.start_drill(make_drill(title="未指定", evaluators=[]), now=T0 + timedelta(hours=3))
    for drill, user, expected in ((named, other, 403), (named, evaluator, 201), (open_, other, 201)):
        task = drill.incident.tasks.first()
        body = {"task": task.pk, "rating": "M"}
        assert api_for(user).post(f"/api/drills/{drill.pk}/evaluations/", body, format="json").status_code == expected
