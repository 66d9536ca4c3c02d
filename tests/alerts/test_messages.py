"""What goes out and when: one message per person at opening, drill prefix, two segments,
GSM hygiene, storm merging, level raised, closing, and the stock digest."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.alerts.models import Notification
from backend.alerts.services import compose, tokens
from backend.incidents import services as incidents
from backend.incidents.models import Task

from .conftest import T0

pytestmark = pytest.mark.django_db
K = Notification.Kind


def test_opening_sends_one_message_per_on_duty_person_listing_their_tasks(open_incident, people):
    incident = open_incident()
    notifications = {n.contact.name: n for n in Notification.objects.filter(incident=incident)}
    # Priority-1 contacts of the three departments with tasks (nobody rostered); the boundary
    # task (notify Hebei), the proposal that the government notify Hebei's, and the reporting
    # deadline (issue 15) fold into the environment bureau's one message.
    assert set(notifications) == {"environment-1", "fire-1", "police-1"}
    environment = notifications["environment-1"]
    assert [i["line"][:4] for i in environment.items] == ["开展应急", "通报下游", "提请政府", "信息报告"]
    assert "开展应急监测" in environment.body
    fire = notifications["fire-1"].body
    assert fire.startswith(f"[{incident.short_code}]") and "筑坝拦截" in fire and "滹沱河" in fire
    assert "/a/" in fire
    assert all(n.status == Notification.Status.QUEUED and n.kind == K.TASKS for n in notifications.values())


def test_a_drill_incident_starts_with_the_exercise_prefix(open_incident):
    incident = open_incident(exercise=True)
    bodies = list(Notification.objects.filter(incident=incident).values_list("body", flat=True))
    assert bodies and all(b.startswith(f"【演练】[{incident.short_code}]") for b in bodies)


def test_bodies_stay_within_two_segments_keeping_code_and_link(open_incident, people, departments):
    incident = open_incident(title="某化工企业储罐区发生大面积泄漏并起火，污染物经雨水管网进入滹沱河干流")
    for n in range(5):
        incidents.add_task(
            incident, department=departments["fire"], text=f"第{n}项：调集泡沫和吸附材料封堵雨水排口", now=T0
        )
    for notification in Notification.objects.filter(incident=incident):
        assert compose.segments(notification.body) <= 2, notification.body
        assert f"[{incident.short_code}]" in notification.body
        assert notification.ack_link and notification.body.endswith("/a/…")
        # What the phone gets, with the live 12-character key, fits too.
        assert compose.segments(tokens.live_body(notification.body, "x" * tokens.KEY_LENGTH)) <= 2


def test_gsm_text_is_kept_free_of_characters_that_force_ucs2():
    text = compose.gsm_safe("Team\u00a0A \u201cgo\u201d \u2013 now\u2026")
    assert text == 'Team A "go" - now...'
    assert compose.is_gsm(text)
    assert compose.segments("a" * 160) == 1 and compose.segments("a" * 161) == 2
    assert compose.segments("中" * 70) == 1 and compose.segments("中" * 71) == 2 and compose.segments("中" * 134) == 2
    assert compose.segments("[" * 80) == 1 and compose.segments("[" * 81) == 2  # extension characters cost two


def test_events_for_one_person_within_the_window_merge_into_one_message(open_incident, people, departments):
    incident = open_incident()
    fire = departments["fire"]
    first = Notification.objects.get(contact=people["fire1"])
    Notification.objects.filter(pk=first.pk).update(status=Notification.Status.ACCEPTED)  # it went out at T0

    incidents.add_task(incident, department=fire, text="转移下游群众", now=T0 + timedelta(seconds=10))
    incidents.add_task(incident, department=fire, text="设置第二道拦截坝", now=T0 + timedelta(seconds=30))

    held = Notification.objects.filter(contact=people["fire1"]).exclude(pk=first.pk)
    assert held.count() == 1
    held = held.get()
    # Held until the window since the last message has passed, then one message for both.
    assert held.send_after == T0 + timedelta(seconds=60)
    assert "转移下游群众" in held.body and "设置第二道拦截坝" in held.body

    Notification.objects.filter(pk=held.pk).update(status=Notification.Status.ACCEPTED)
    incidents.add_task(incident, department=fire, text="夜间巡查", now=T0 + timedelta(minutes=5))
    later = Notification.objects.filter(contact=people["fire1"]).order_by("-pk").first()
    assert later.send_after == T0 + timedelta(minutes=5)  # quiet for long enough: at once


def test_a_reassigned_task_alerts_the_new_department(open_incident, people, departments):
    incident = open_incident()
    task = Task.objects.get(incident=incident, department__code="police")
    incidents.reassign_task(task, departments["fire"], "警力不足", now=T0 + timedelta(minutes=3))
    fire = Notification.objects.filter(contact=people["fire1"]).order_by("-pk").first()
    assert "现场警戒" in fire.body


def test_raising_the_level_and_closing_alert_the_departments(open_incident, people):
    incident = open_incident()
    Notification.objects.update(status=Notification.Status.DELIVERED)
    incidents.change_level(incident, 1, "饮用水源地取水中断", now=T0 + timedelta(minutes=5))
    level = Notification.objects.filter(kind=K.LEVEL)
    assert {n.contact.name for n in level} == {"environment-1", "fire-1", "police-1"}
    assert "升为I级" in level.first().body

    incidents.change_level(incident, 3, "情况好转", now=T0 + timedelta(minutes=6))  # lowered: no SMS
    assert Notification.objects.filter(kind=K.LEVEL).count() == 3

    incidents.close_incident(incident, "处置完毕", now=T0 + timedelta(hours=5))
    closed = Notification.objects.filter(kind=K.CLOSED)
    assert closed.count() == 3 and "应急响应结束" in closed.first().body
    assert "/a/" not in closed.first().body


def test_a_drill_inject_addressed_to_a_department_goes_to_its_on_duty_people(open_incident, people):
    incident = open_incident(exercise=True)
    Notification.objects.update(status=Notification.Status.DELIVERED)
    inject = {"drill": 1, "inject": 1, "number": 1, "to": "police", "department": "police", "from": "导调组"}
    inject |= {"message": "现场发现第二处泄漏点，请核实", "sms": "现场发现第二处泄漏点，请核实"}
    inject |= {"expected_action": None, "objective": None, "task": None, "offset_minutes": 0, "early": False}
    incidents.append_event(incident.pk, "inject_delivered", inject, at=T0)
    inject = Notification.objects.get(kind=K.INJECT)
    assert inject.contact == people["police1"]
    assert inject.body.startswith("【演练】") and "第二处泄漏点" in inject.body


def test_a_failure_in_alerting_never_stops_the_incident_from_opening(open_incident, monkeypatch):
    from backend.alerts.services import incident_alerts

    def broken(*args):
        raise RuntimeError("bug in alerts")

    monkeypatch.setitem(incident_alerts.HANDLERS, "task_created", broken)
    incident = open_incident()
    assert Task.objects.filter(incident=incident).count() == 6  # 3 plan tasks, notice, proposal, reporting (issue 15)
    assert not Notification.objects.exists()
