"""Issue 11, the 3 a.m. critical path: an opening's SMS are queued in a number of queries that
does not grow with the number of people, and sent in batches that keep every guarantee of a
single send (claimed one by one, never twice, rate-limited, at SMS priority)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backend import celery_app
from backend.alerts import tasks
from backend.alerts.models import Escalation, Notification
from backend.alerts.services import notify
from backend.directory.models import Contact
from backend.incidents.models import IncidentEvent, Task

from .conftest import T0

pytestmark = pytest.mark.django_db


def add_on_duty(departments, per_department: int, start: int) -> None:
    """More priority-1 people in each responding department: everyone of the best priority is
    alerted when nobody is rostered (directory.on_duty)."""
    number = start
    for code in ("environment", "fire", "police"):
        for _ in range(per_department):
            number += 1
            Contact.objects.create(
                department=departments[code], name=f"{code}-{number}", mobile=f"139{number:08d}", priority=1
            )


def opening_queries(open_incident, now) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        incident = open_incident(now=now)
    return len(queries), incident


def test_opening_takes_as_many_queries_for_100_people_a_department_as_for_10(open_incident, departments):
    from datetime import timedelta

    opening_queries(open_incident, T0)  # warm: caches of content types and the like
    add_on_duty(departments, 9, 0)  # 10 priority-1 people a department with the fixture's own
    few, small = opening_queries(open_incident, T0 + timedelta(minutes=1))
    add_on_duty(departments, 90, 1000)  # 100 a department
    many, large = opening_queries(open_incident, T0 + timedelta(minutes=2))

    assert Notification.objects.filter(incident=small).count() == 30
    assert Notification.objects.filter(incident=large).count() == 300
    assert many == few
    # Each person gets one message listing the department's tasks (merged in the transaction).
    environment = Notification.objects.filter(incident=large, department=departments["environment"])
    tasks = set(Task.objects.filter(incident=large, department=departments["environment"]).values_list("pk", flat=True))
    assert environment.count() == 100
    assert all({item["task"] for item in n.items} == tasks for n in environment)
    assert len({n.body for n in environment}) == 1
    # One escalation ladder a department, started once.
    assert Escalation.objects.filter(incident=large).count() == 3


def test_the_opening_events_stay_gapless_typed_and_carry_the_officer(open_incident, duty_officer):
    incident = open_incident()
    events = list(IncidentEvent.objects.filter(incident=incident).order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].event_type == "opened"
    assert all(e.actor_id == duty_officer.pk for e in events)
    assert sum(e.event_type == "task_created" for e in events) == Task.objects.filter(incident=incident).count()


def test_a_drill_opening_keeps_the_exercise_mark_in_every_message(open_incident):
    incident = open_incident(exercise=True)
    bodies = list(Notification.objects.filter(incident=incident).values_list("body", flat=True))
    assert bodies and all(body.startswith("【演练】") for body in bodies)


def test_after_commit_the_sends_go_in_batches_covering_each_message_once(
    open_incident, departments, monkeypatch, django_capture_on_commit_callbacks
):
    add_on_duty(departments, 40, 0)
    sent: list[tuple[str, list[int]]] = []
    monkeypatch.setattr(tasks.send_notifications, "apply_async", lambda args, **kw: sent.append(("many", args[0])))
    monkeypatch.setattr(tasks.send_notification, "apply_async", lambda args, **kw: sent.append(("one", [args[0]])))

    with django_capture_on_commit_callbacks(execute=True):
        incident = open_incident()
        assert not sent  # nothing leaves before the commit

    ids = [pk for _kind, batch in sent for pk in batch]
    queued = set(Notification.objects.filter(incident=incident).values_list("pk", flat=True))
    assert sorted(ids) == sorted(queued) and len(ids) == len(set(ids))
    assert max(len(batch) for _kind, batch in sent) <= notify.send_batch_size(len(ids))
    assert any(kind == "many" for kind, _batch in sent)


def test_a_small_alert_goes_one_message_per_task_on_every_worker():
    assert notify.send_batch_size(7) == 1
    assert notify.send_batch_size(1000) == 25


def test_batched_sends_go_at_sms_priority():
    route = celery_app.amqp.router.route({}, "alerts.send_notifications", args=([1, 2],), kwargs={})
    assert route.get("priority") == 3


def test_a_batch_sent_twice_sends_each_message_once(sandbox, open_incident):
    incident = open_incident()
    ids = list(Notification.objects.filter(incident=incident).order_by("pk").values_list("pk", flat=True))

    first = tasks.send_notifications(ids)
    again = tasks.send_notifications(ids)  # a redelivered or duplicated batch

    assert first == {"sent": len(ids)}
    assert again == {"skipped": len(ids)}
    assert len(sandbox.messages) == len(ids)
    assert sorted(m["to"] for m in sandbox.messages) == sorted(
        Notification.objects.filter(incident=incident).values_list("to", flat=True)
    )


def test_a_message_claimed_by_another_worker_is_not_sent_by_the_batch(sandbox, open_incident):
    from django.utils import timezone

    incident = open_incident()
    ids = list(Notification.objects.filter(incident=incident).order_by("pk").values_list("pk", flat=True))
    Notification.objects.filter(pk=ids[0]).update(status="sending", claimed_at=timezone.now(), attempts=1)

    result = tasks.send_notifications(ids)

    assert result == {"skipped": 1, "sent": len(ids) - 1}
    assert len(sandbox.messages) == len(ids) - 1
    assert Notification.objects.get(pk=ids[0]).status == "sending"  # its own worker's, or the sweep's


def test_a_batch_takes_a_rate_token_per_message_and_requeues_the_rest_when_throttled(
    sandbox, open_incident, monkeypatch
):
    incident = open_incident()
    ids = list(Notification.objects.filter(incident=incident).order_by("pk").values_list("pk", flat=True))
    # The bucket gives two tokens, then none within any wait.
    tokens = iter([True, True])
    monkeypatch.setattr(tasks.ratelimit, "acquire", lambda max_wait: next(tokens, False))
    requeued = []
    monkeypatch.setattr(tasks.send_notifications, "apply_async", lambda args, **kw: requeued.append((args[0], kw)))

    result = tasks.send_notifications(ids)

    assert result == {"sent": 2, "throttled": len(ids) - 2}
    assert len(sandbox.messages) == 2
    assert requeued == [(ids[2:], {"countdown": 1})]
    assert Notification.objects.filter(pk__in=ids[2:], status="queued").count() == len(ids) - 2
