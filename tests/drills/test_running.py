"""The drill clock: the scheduler starts a drill and delivers injects at their offsets;
pause/resume shifts later injects; the controller's actions are events on the incident."""

from __future__ import annotations

from datetime import timedelta

import pytest

from backend.api import DomainRefusal
from backend.incidents.models import IncidentEvent, Task
from drills import services
from drills.models import Drill

from .conftest import T0

pytestmark = pytest.mark.django_db


def _events(drill, *types):
    query = IncidentEvent.objects.filter(incident_id=drill.incident_id).order_by("seq")
    if types:
        query = query.filter(event_type__in=types)
    return list(query)


def test_the_scheduler_starts_a_drill_at_its_time_and_delivers_injects_at_their_offsets(make_drill):
    drill = make_drill(injects=[(0, "fire", "筑坝"), (15, "police", "封路"), (30, "environment", "")])

    assert services.tick(T0 - timedelta(seconds=1)) == {"started": [], "delivered": 0}
    result = services.tick(T0)

    drill.refresh_from_db()
    assert result["started"] == [drill.pk]
    assert drill.status == Drill.Status.RUNNING and drill.incident.exercise is True
    # Offset 0 is delivered with the start; the others wait for their minute.
    assert [i.number for i in drill.injects.filter(delivered_at__isnull=False)] == [1]
    assert services.tick(T0 + timedelta(minutes=14, seconds=59))["delivered"] == 0
    assert services.tick(T0 + timedelta(minutes=15))["delivered"] == 1
    assert services.tick(T0 + timedelta(minutes=15))["delivered"] == 0  # nothing twice
    assert services.tick(T0 + timedelta(minutes=31))["delivered"] == 1

    delivered = _events(drill, "inject_delivered")
    assert [(e.data["number"], e.data["to"]) for e in delivered] == [(1, "fire"), (2, "police"), (3, "environment")]
    assert delivered[0].data["inject"] == drill.injects.get(number=1).pk
    assert delivered[0].data["from"] == "县应急局值班室"
    assert [e.at for e in delivered] == [T0, T0 + timedelta(minutes=15), T0 + timedelta(minutes=31)]
    # An inject with an expected action creates a task with the plan's targets for that department.
    fire_task = drill.injects.get(number=1).task
    assert (fire_task.source, fire_task.department.code, fire_task.text) == ("inject", "fire", "筑坝")
    assert (fire_task.ack_minutes, fire_task.complete_minutes) == (10, 120)
    police_task = drill.injects.get(number=2).task
    assert (police_task.ack_minutes, police_task.complete_minutes) == (5, 30)
    assert drill.injects.get(number=3).task is None
    # Starting is the real path: plan activation and template tasks on an exercise incident.
    assert _events(drill, "plan_activated")
    assert Task.objects.filter(incident=drill.incident, source="template").count() == 3
    assert _events(drill, "drill_control")[0].data["action"] == "start"


def test_an_inject_with_its_own_targets_keeps_them(make_drill, departments):
    drill = make_drill()
    services.save_inject(
        drill, offset_minutes=0, from_sender="群众", to_department=departments["fire"], message="发现死鱼",
        expected_action="现场核实", ack_minutes=3, complete_minutes=20,
    )  # fmt: skip
    services.start_drill(drill, now=T0)
    task = drill.injects.get().task
    assert (task.ack_minutes, task.complete_minutes) == (3, 20)
    assert task.ack_due == T0 + timedelta(minutes=3)


def test_pause_and_resume_shift_later_injects_by_the_paused_time(make_drill, trainer):
    drill = make_drill(injects=[(10, "fire", "筑坝"), (20, "police", "封路")])
    services.start_drill(drill, actor=trainer, now=T0)
    services.tick(T0 + timedelta(minutes=10))
    services.pause_drill(drill, actor=trainer, now=T0 + timedelta(minutes=12))

    # Paused: nothing is delivered even when the original time passes.
    assert services.tick(T0 + timedelta(minutes=25))["delivered"] == 0
    services.resume_drill(drill, actor=trainer, now=T0 + timedelta(minutes=42))

    second = drill.injects.get(number=2)
    assert second.due_at == T0 + timedelta(minutes=50)
    assert drill.injects.get(number=1).due_at == T0 + timedelta(minutes=10)  # delivered: unchanged
    assert services.tick(T0 + timedelta(minutes=49))["delivered"] == 0
    assert services.tick(T0 + timedelta(minutes=50))["delivered"] == 1
    drill.refresh_from_db()
    assert drill.paused_seconds == 30 * 60
    assert drill.elapsed_minutes(T0 + timedelta(minutes=60)) == 30
    actions = [e.data["action"] for e in _events(drill, "drill_control")]
    assert actions == ["start", "pause", "resume"]
    assert _events(drill, "drill_control")[2].data["paused_seconds"] == 1800
    # The board's deadlines moved with the drill clock: the fire inject task (created at minute
    # 10, ack target 10 min) is due at minute 20 + 30 paused = 50, not overdue at minute 45.
    fire_task = drill.injects.get(number=1).task
    assert fire_task.ack_due == T0 + timedelta(minutes=50)


def test_the_controller_delivers_early_skips_adds_and_ends(make_drill, trainer, departments):
    drill = make_drill(injects=[(30, "fire", "筑坝"), (40, "police", "封路")])
    services.start_drill(drill, actor=trainer, now=T0)
    first, second = drill.injects.order_by("number")

    services.deliver_inject_now(first, actor=trainer, now=T0 + timedelta(minutes=5))
    services.skip_inject(second, "时间不够", actor=trainer, now=T0 + timedelta(minutes=6))
    adhoc = services.add_adhoc_inject(
        drill, from_sender="媒体", to_department=departments["environment"], message="记者来电", expected_action="回应",
        actor=trainer, now=T0 + timedelta(minutes=7),
    )  # fmt: skip
    assert services.tick(T0 + timedelta(minutes=45))["delivered"] == 0  # skipped stays skipped
    with pytest.raises(DomainRefusal):
        services.deliver_inject_now(first, actor=trainer, now=T0 + timedelta(minutes=8))
    services.end_drill(drill, "演练顺利", actor=trainer, now=T0 + timedelta(minutes=60))

    drill.refresh_from_db()
    adhoc.refresh_from_db()
    assert (adhoc.number, adhoc.adhoc, adhoc.offset_minutes) == (3, True, 7)
    assert adhoc.delivered_at == T0 + timedelta(minutes=7) and adhoc.task.department.code == "environment"
    delivered = _events(drill, "inject_delivered")
    assert [(e.data["number"], e.data["early"]) for e in delivered] == [(1, True), (3, False)]
    control = [e.data["action"] for e in _events(drill, "drill_control")]
    assert control == ["start", "skip", "add_inject", "end"]
    assert drill.status == Drill.Status.ENDED and drill.incident.status == "closed"
    assert drill.incident.summary == "演练顺利"


def test_ending_a_paused_drill_counts_the_pause(make_drill, trainer):
    drill = make_drill()
    services.start_drill(drill, actor=trainer, now=T0)
    services.pause_drill(drill, actor=trainer, now=T0 + timedelta(minutes=10))
    services.end_drill(drill, actor=trainer, now=T0 + timedelta(minutes=25))
    drill.refresh_from_db()
    assert drill.paused_seconds == 15 * 60 and drill.paused_at is None
    assert drill.elapsed_minutes(T0 + timedelta(hours=5)) == 10


def test_reschedule_and_cancel_only_until_it_starts_and_participants_are_told(make_drill, trainer):
    drill = make_drill(injects=[(10, "fire", "筑坝")])
    later = T0 + timedelta(days=1)
    services.reschedule_drill(drill, later, actor=trainer, now=T0 - timedelta(days=1))
    assert drill.injects.get().due_at == later + timedelta(minutes=10)
    assert services.tick(T0)["started"] == []
    notice = drill.notices.get()
    assert notice.kind == "rescheduled" and set(notice.departments) == {"environment", "fire", "police"}

    services.start_drill(drill, actor=trainer, now=later)
    with pytest.raises(DomainRefusal):
        services.reschedule_drill(drill, later + timedelta(days=1), actor=trainer, now=later)
    with pytest.raises(DomainRefusal):
        services.cancel_drill(drill, actor=trainer, now=later)

    other = make_drill(title="另一场")
    services.cancel_drill(other, "汛期", actor=trainer, now=T0 - timedelta(days=1))
    other.refresh_from_db()
    assert other.status == Drill.Status.CANCELLED
    assert services.tick(T0 + timedelta(days=3))["started"] == []
    assert "汛期" in other.notices.get().message


def test_pause_is_refused_unless_running(make_drill, trainer):
    drill = make_drill()
    with pytest.raises(DomainRefusal):
        services.pause_drill(drill, actor=trainer, now=T0)
    services.start_drill(drill, actor=trainer, now=T0)
    with pytest.raises(DomainRefusal):
        services.resume_drill(drill, actor=trainer, now=T0)
    with pytest.raises(DomainRefusal):
        services.start_drill(drill, actor=trainer, now=T0)


def test_an_adhoc_inject_written_during_a_pause_goes_out_on_resume(make_drill, trainer, departments):
    drill = services.start_drill(make_drill(), actor=trainer, now=T0)
    services.pause_drill(drill, actor=trainer, now=T0 + timedelta(minutes=10))
    adhoc = services.add_adhoc_inject(
        drill, from_sender="媒体", to_department=departments["police"], message="记者到场", expected_action="接待",
        actor=trainer, now=T0 + timedelta(minutes=15),
    )  # fmt: skip
    adhoc.refresh_from_db()
    assert adhoc.delivered_at is None and adhoc.offset_minutes == 10
    services.resume_drill(drill, actor=trainer, now=T0 + timedelta(minutes=20))
    adhoc.refresh_from_db()
    assert adhoc.delivered_at == T0 + timedelta(minutes=20) and adhoc.task.department.code == "police"
