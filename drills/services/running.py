"""Running a drill: start, deliver injects, pause/resume the clock, end.

Every controller action is an event on the exercise incident (`drill_control`, or
`inject_delivered` for a delivery), written in the same transaction, so the board, the SMS app
and the score all read one log. Locks are always taken drill first, then its injects, then
(inside incidents.services) the incident, so the beat task and a controller never deadlock.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.contrib.gis.geos import Point
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.domain import DomainRefusal
from backend.incidents import services as incidents
from backend.incidents.models import Incident

from ..models import Drill, Inject
from .planning import NOT_STARTED, UNDER_WAY, inject_targets, lock_drill, next_number, save_inject

log = logging.getLogger(__name__)

# actor_name of what the beat task does on its own: a record, in the record's language (as the
# alerts' "短信平台"), shown as written in the drill console and the room.
SCHEDULER = "演练调度"


def _control(drill: Drill, action: str, data: dict | None = None, *, actor=None, now: datetime) -> None:
    incidents.append_event(
        drill.incident_id,
        "drill_control",
        {"drill": drill.pk, "action": action, **(data or {})},
        actor=actor,
        actor_name="" if actor is not None else SCHEDULER,
        at=now,
    )


def _refuse_unless(drill: Drill, *statuses: str) -> None:
    if drill.status not in statuses:
        raise DomainRefusal(_("The drill is %(s)s.") % {"s": drill.get_status_display()}, status=drill.status)


@transaction.atomic
def start_drill(drill: Drill, *, actor=None, now: datetime | None = None) -> Drill:
    """Open the exercise incident from the scenario: the same trace, plan activation, tasks and
    SMS path as a real incident (incidents.open_incident with exercise=True)."""
    now = now or timezone.now()
    drill = lock_drill(drill.pk)
    _refuse_unless(drill, *NOT_STARTED)
    location = drill.location
    incident = incidents.open_incident(
        title=drill.title,
        kind=Incident.Kind.WATER,
        location=Point(location.x, location.y, srid=4326),
        occurred_at=now,
        pollutant=drill.pollutant,
        mass_kg=drill.mass_kg,
        description=drill.narrative,
        exercise=True,
        actor=actor,
        now=now,
        # Only the participating departments play: others get no task, no SMS, no score.
        departments=list(drill.departments.all()) or None,
    )
    drill.incident, drill.status, drill.started_at = incident, Drill.Status.RUNNING, now
    drill.save(update_fields=["incident", "status", "started_at", "updated_at"])
    for inject in Inject.objects.filter(drill=drill, delivered_at__isnull=True, skipped=False):
        inject.due_at = now + timedelta(minutes=inject.offset_minutes)
        inject.save(update_fields=["due_at"])
    _control(drill, "start", {"title": drill.title, "scheduled_start": drill.scheduled_start.isoformat()},
             actor=actor, now=now)  # fmt: skip
    _deliver_due(drill, now)
    return drill


def start_due_drills(now: datetime | None = None) -> list[int]:
    """Start every scheduled drill whose time has come (the beat task). One transaction per
    drill, claimed with skip_locked, so two beat runs never start the same drill twice."""
    now = now or timezone.now()
    started = []
    for drill_id in Drill.objects.filter(status=Drill.Status.SCHEDULED, scheduled_start__lte=now).values_list(
        "pk", flat=True
    ):
        try:
            with transaction.atomic():
                claimed = (
                    Drill.objects.select_for_update(skip_locked=True)
                    .filter(pk=drill_id, status=Drill.Status.SCHEDULED)
                    .first()
                )
                if claimed is None:
                    continue
                start_drill(claimed, now=now)
                started.append(drill_id)
        except Exception:
            # One drill whose scenario fails (e.g. no river near) must not block the others.
            log.exception("could not start drill %s", drill_id)
    return started


def deliver_due_injects(now: datetime | None = None) -> int:
    """Deliver every inject that is due on a running drill (the beat task)."""
    now = now or timezone.now()
    due = Inject.objects.filter(
        drill__status=Drill.Status.RUNNING, delivered_at__isnull=True, skipped=False, due_at__lte=now
    )
    delivered = 0
    for drill_id in set(due.values_list("drill_id", flat=True)):
        try:
            with transaction.atomic():
                drill = (
                    Drill.objects.select_for_update(skip_locked=True)
                    .filter(pk=drill_id, status=Drill.Status.RUNNING)
                    .first()
                )
                if drill is not None:
                    delivered += _deliver_due(drill, now)
        except Exception:
            log.exception("could not deliver the injects of drill %s", drill_id)
    return delivered


def _deliver_due(drill: Drill, now: datetime) -> int:
    """The caller holds the drill's lock. Injects are claimed with skip_locked as well, so a
    controller delivering one by hand and the beat task never both deliver it."""
    claimed = list(
        Inject.objects.select_for_update(skip_locked=True)
        .filter(drill=drill, delivered_at__isnull=True, skipped=False, due_at__lte=now)
        .select_related("to_department")
        .order_by("due_at", "number")
    )
    for inject in claimed:
        _deliver(drill, inject, now=now)
    return len(claimed)


def _deliver(drill: Drill, inject: Inject, *, now: datetime, actor=None, early: bool = False) -> Inject:
    task = None
    if inject.expected_action.strip():
        ack_minutes, complete_minutes = inject_targets(inject)
        task = incidents.add_task(
            drill.incident,
            department=inject.to_department,
            text=inject.expected_action.strip(),
            ack_minutes=ack_minutes,
            complete_minutes=complete_minutes,
            source="inject",
            actor=actor,
            now=now,
        )
    incidents.append_event(
        drill.incident_id,
        "inject_delivered",
        {
            "drill": drill.pk,
            "inject": inject.pk,
            "number": inject.number,
            "to": inject.to_department.code,
            # alerts reads `department` and `sms` (it adds the 【演练】 prefix itself).
            "department": inject.to_department.code,
            "from": inject.from_sender,
            "message": inject.message,
            "sms": f"{inject.from_sender}：{inject.message}",
            "expected_action": inject.expected_action or None,
            "objective": inject.objective or None,
            "task": task.pk if task else None,
            "offset_minutes": inject.offset_minutes,
            "early": early,
        },
        actor=actor,
        actor_name="" if actor is not None else SCHEDULER,
        at=now,
    )
    inject.delivered_at, inject.task = now, task
    inject.save(update_fields=["delivered_at", "task"])
    return inject


def _locked_inject(inject: Inject) -> tuple[Drill, Inject]:
    drill = lock_drill(inject.drill_id)
    return drill, Inject.objects.select_for_update().select_related("to_department").get(pk=inject.pk)


@transaction.atomic
def deliver_inject_now(inject: Inject, *, actor=None, now: datetime | None = None) -> Inject:
    """The controller delivers an inject before its time."""
    now = now or timezone.now()
    drill, inject = _locked_inject(inject)
    _refuse_unless(drill, *UNDER_WAY)
    if not inject.pending:
        raise DomainRefusal(_("This inject was already delivered or skipped."), inject=inject.pk)
    return _deliver(drill, inject, now=now, actor=actor, early=inject.due_at > now)


@transaction.atomic
def skip_inject(inject: Inject, reason: str = "", *, actor=None, now: datetime | None = None) -> Inject:
    now = now or timezone.now()
    drill, inject = _locked_inject(inject)
    _refuse_unless(drill, *NOT_STARTED, *UNDER_WAY)
    if not inject.pending:
        raise DomainRefusal(_("This inject was already delivered or skipped."), inject=inject.pk)
    inject.skipped = True
    inject.save(update_fields=["skipped"])
    if drill.incident_id:
        _control(drill, "skip", {"inject": inject.pk, "number": inject.number, "reason": reason.strip()},
                 actor=actor, now=now)  # fmt: skip
    return inject


@transaction.atomic
def add_adhoc_inject(drill: Drill, *, actor=None, now: datetime | None = None, **fields) -> Inject:
    """An inject the controller writes during the drill; delivered at once unless it gives a
    later offset on the drill clock."""
    now = now or timezone.now()
    drill = lock_drill(drill.pk)
    _refuse_unless(drill, *UNDER_WAY)
    fields.setdefault("number", next_number(drill))
    fields.setdefault("offset_minutes", round(drill.elapsed_minutes(now), 2))
    inject = save_inject(drill, **fields)
    Inject.objects.filter(pk=inject.pk).update(adhoc=True)
    inject.adhoc = True
    _control(drill, "add_inject", {"inject": inject.pk, "number": inject.number}, actor=actor, now=now)
    if drill.status == Drill.Status.RUNNING and inject.due_at <= now + timedelta(seconds=1):
        _deliver(drill, inject, now=now, actor=actor)
    return inject


@transaction.atomic
def pause_drill(drill: Drill, *, actor=None, now: datetime | None = None) -> Drill:
    now = now or timezone.now()
    drill = lock_drill(drill.pk)
    _refuse_unless(drill, Drill.Status.RUNNING)
    drill.status, drill.paused_at = Drill.Status.PAUSED, now
    drill.save(update_fields=["status", "paused_at", "updated_at"])
    _control(drill, "pause", actor=actor, now=now)
    return drill


def _close_pause(drill: Drill, now: datetime) -> float:
    """Fold the current pause into paused_seconds and move the pending injects later by it."""
    seconds = max((now - drill.paused_at).total_seconds(), 0.0)
    drill.paused_seconds += seconds
    drill.paused_at = None
    Inject.objects.filter(drill=drill, delivered_at__isnull=True, skipped=False).update(
        due_at=F("due_at") + timedelta(seconds=seconds)
    )
    return seconds


@transaction.atomic
def resume_drill(drill: Drill, *, actor=None, now: datetime | None = None) -> Drill:
    now = now or timezone.now()
    drill = lock_drill(drill.pk)
    _refuse_unless(drill, Drill.Status.PAUSED)
    seconds = _close_pause(drill, now)
    drill.status = Drill.Status.RUNNING
    drill.save(update_fields=["status", "paused_at", "paused_seconds", "updated_at"])
    # The board's deadlines follow the drill clock (the resume event records the pause).
    moved = incidents.shift_open_deadlines(drill.incident_id, timedelta(seconds=seconds))
    _control(drill, "resume", {"paused_seconds": seconds, "deadlines_shifted": moved}, actor=actor, now=now)
    _deliver_due(drill, now)
    return drill


@transaction.atomic
def end_drill(drill: Drill, summary: str = "", *, actor=None, now: datetime | None = None) -> Drill:
    """End the drill and close its exercise incident. Injects not yet delivered stay pending
    in the record (shown as not reached)."""
    now = now or timezone.now()
    drill = lock_drill(drill.pk)
    _refuse_unless(drill, *UNDER_WAY)
    data = {}
    if drill.status == Drill.Status.PAUSED:
        data["paused_seconds"] = _close_pause(drill, now)
    drill.status, drill.ended_at = Drill.Status.ENDED, now
    if summary.strip():
        drill.summary = summary.strip()
    drill.save(update_fields=["status", "ended_at", "paused_at", "paused_seconds", "summary", "updated_at"])
    _control(drill, "end", data, actor=actor, now=now)
    incident = Incident.objects.get(pk=drill.incident_id)
    if incident.status != Incident.Status.CLOSED:
        incidents.close_incident(incident, drill.summary or f"演练“{drill.title}”结束", actor=actor, now=now)
    return drill


def tick(now: datetime | None = None) -> dict:
    """What the beat task does every few seconds."""
    now = now or timezone.now()
    return {"started": start_due_drills(now), "delivered": deliver_due_injects(now)}
