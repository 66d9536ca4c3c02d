"""Silence escalates step by step (frozen time: the services take `now`); acknowledging stops it."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from backend.alerts.models import Escalation, EscalationPolicy, EscalationStep, Notification
from backend.alerts.services import acks, escalation, sending
from backend.incidents import services as incidents
from backend.incidents.models import IncidentEvent, Task

from .conftest import T0

pytestmark = pytest.mark.django_db


def escalated():
    return [e.data for e in IncidentEvent.objects.filter(event_type="escalated").order_by("seq")]


def minutes(n):
    return T0 + timedelta(minutes=n)


def test_without_acknowledgement_the_next_contacts_then_the_duty_leader_are_alerted(open_incident, people, sandbox):
    incident = open_incident()
    assert Escalation.objects.filter(incident=incident).count() == 3

    assert escalation.escalate_due(now=minutes(9)) == 0
    assert escalated() == []

    assert escalation.escalate_due(now=minutes(10)) == 3  # environment, fire, police: nobody acknowledged
    steps = {e["department"]: e for e in escalated()}
    assert steps["fire"]["step"] == 1 and steps["fire"]["target"] == "next"
    assert [c["name"] for c in steps["fire"]["contacts"]] == ["fire-2"]
    fire2 = Notification.objects.get(contact=people["fire2"])
    assert "筑坝拦截" in fire2.body and fire2.ack_link

    # Fire acknowledges by link from the second contact's SMS: its ladder stops.
    sending.send(fire2.pk, now=minutes(10))
    key = re.search(r"/a/(\w+)$", sandbox.messages_to(fire2.to)[-1]["body"]).group(1)
    acks.acknowledge_by_token(key, now=minutes(15))
    assert escalation.escalate_due(now=minutes(19)) == 0

    assert escalation.escalate_due(now=minutes(20)) == 2  # environment and police go to the leader
    last = escalated()[-2:]
    assert {e["department"] for e in last} == {"environment", "police"}
    assert all(e["target"] == "leader" and e["contacts"][0]["name"] == "局领导" for e in last)
    leader = Notification.objects.filter(contact=people["leader"]).order_by("pk")
    assert leader.count() == 1  # both departments' escalations folded into one message
    assert "忻州市公安局1项任务20分钟未确认" in leader.get().body

    # The default ladder has two steps: nothing more happens.
    assert escalation.escalate_due(now=minutes(120)) == 0
    assert not Escalation.objects.filter(stopped_at__isnull=True).exists()


def test_acknowledging_on_the_board_stops_the_ladder(open_incident, people):
    incident = open_incident()
    for task in Task.objects.filter(incident=incident, department__code="police"):
        incidents.acknowledge_task(task, actor_name="police-1", now=minutes(2))
    police = Escalation.objects.get(incident=incident, department__code="police")
    assert police.stopped_at == minutes(2) and police.stop_reason == "acknowledged"

    escalation.escalate_due(now=minutes(10))
    assert "police" not in {e["department"] for e in escalated()}


def test_a_configured_policy_with_listed_contacts_repeats_its_last_step(open_incident, people, departments):
    policy = EscalationPolicy.objects.create(department=departments["police"], repeat_last=True)
    EscalationStep.objects.create(policy=policy, order=1, wait_minutes=3, target=EscalationStep.Target.NEXT_CONTACTS)
    last = EscalationStep.objects.create(policy=policy, order=2, wait_minutes=5, target=EscalationStep.Target.CONTACTS)
    last.contacts.add(people["environment2"])
    open_incident()

    escalation.escalate_due(now=minutes(3))
    escalation.escalate_due(now=minutes(8))
    escalation.escalate_due(now=minutes(13))
    police = [e for e in escalated() if e["department"] == "police"]
    assert [(e["step"], e["target"]) for e in police] == [(1, "next"), (2, "contacts"), (2, "contacts")]
    assert police[1]["contacts"][0]["name"] == "environment-2"


def test_two_beat_runs_never_take_the_same_step(open_incident):
    open_incident()
    assert escalation.escalate_due(now=minutes(10)) == 3
    assert escalation.escalate_due(now=minutes(10)) == 0
    assert len(escalated()) == 3


def test_closing_the_incident_stops_every_ladder(open_incident):
    incident = open_incident()
    incidents.close_incident(incident, "误报", now=minutes(1))
    assert escalation.escalate_due(now=minutes(30)) == 0
    assert set(Escalation.objects.values_list("stop_reason", flat=True)) == {"closed"}
