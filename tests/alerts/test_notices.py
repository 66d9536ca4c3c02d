"""Notices with no incident yet (a drill rescheduled or cancelled) reach the on-duty people of
the participating departments through the same sending path."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.alerts.models import Notification
from backend.alerts.services import notify_departments, sending

pytestmark = pytest.mark.django_db


def test_a_notice_goes_to_each_departments_on_duty_people(people, sandbox):
    made = notify_departments(["fire", "police"], "【演练】滹沱河演练改期至6月12日9时")
    assert {n.contact.name for n in made} == {"fire-1", "police-1"}  # the priority-1 people on duty
    fire = next(n for n in made if n.department.code == "fire")
    assert fire.kind == Notification.Kind.NOTICE and fire.incident is None
    assert fire.body == "【演练】滹沱河演练改期至6月12日9时"
    sending.send(fire.pk)
    fire.refresh_from_db()
    assert fire.status in {Notification.Status.ACCEPTED, Notification.Status.SENT}
    assert sandbox.messages_to(fire.to)[-1]["body"] == fire.body


def test_a_rescheduled_drill_notifies_its_participants(
    people, sandbox, make_drill, trainer, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    from drills import services as drills

    drill = make_drill(start=timezone.now() + timedelta(days=2))
    with django_capture_on_commit_callbacks(execute=True):
        drills.reschedule_drill(drill, timezone.now() + timedelta(days=3), actor=trainer)
    notices = Notification.objects.filter(kind=Notification.Kind.NOTICE)
    assert {n.department.code for n in notices} == {"environment", "fire", "police"}
    assert all(n.body.startswith("【演练】") for n in notices)
