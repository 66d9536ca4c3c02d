"""Reporting deadlines (《突发环境事件信息报告办法》, 2011, 第七条、第八条), as a task of the
coordinating department (the environment bureau).

- The clock runs from `reported_at`, when the bureau learned of the event.
- IV or III → within 4 hours to the same-level government and the next-higher environment
  department (the "general" procedure).
- II or I, and whenever the event must go through that procedure before its level can be
  judged (drinking-water source affected or possibly affected, heavy metals or metalloids,
  possible cross-province impact, sensitive groups, or the bureau says so) → within 2 hours to
  the same-level government and the provincial environment department, and to the ministry
  (the "serious" procedure).
- A change to the serious procedure re-times the open task to the earlier of its due time and
  the change + 2 h. The procedure never relaxes: a report once due under II/I stays due so.
- Completing the task records who reported to whom, how (the first report may go by
  telephone, followed by the written one) and when.
- In an exercise the task exists only when the coordinating department takes part.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.api import DomainRefusal
from backend.directory.models import Department
from plans.models import PollutantCategory

from ..models import Incident, ReportingDeadline, Task
from .events import lock_incident, record

GENERAL, SERIOUS = ReportingDeadline.Procedure.GENERAL, ReportingDeadline.Procedure.SERIOUS
HOURS = {GENERAL: 4, SERIOUS: 2}
# Triggers the officer declares (the record cannot know them).
DECLARED_TRIGGERS = ("sensitive_groups", "officer")
TRIGGER_TEXT = {
    "level": "事件级别为重大（II级）或特别重大（I级）",
    "drinking_water": "影响或可能影响饮用水水源地",
    "heavy_metal": "涉及重金属或类金属污染",
    "cross_province": "可能产生跨省级行政区域影响",
    "sensitive_groups": "涉及居民聚居区、学校、医院等敏感区域和敏感人群",
    "officer": "本局认为有必要按重大、特别重大程序报告",
}
VIA_TEXT = {"telephone": "电话", "written": "书面"}
_UNREAD = object()  # the coordinator, not read by the caller
PROCEDURE_TEXT = {GENERAL: "一般、较大事件程序，4小时内", SERIOUS: "重大、特别重大事件程序，2小时内"}


def triggers(incident: Incident) -> list[str]:
    """Why the event goes through the II/I procedure (empty: the IV/III one)."""
    found = []
    if incident.level <= Incident.Level.II:
        found.append("level")
    reasons = [*incident.level_reasons, *incident.potential_reasons]
    if incident.suspended_intakes or any(r["rule"].startswith("intake_") for r in reasons) or _intake_reached(incident):
        found.append("drinking_water")
    heavy = {PollutantCategory.HEAVY_METAL, PollutantCategory.METALLOID}  # 重金属或类金属
    if incident.pollutant is not None and incident.pollutant.category in heavy:
        found.append("heavy_metal")
    if any(r["rule"] in ("boundary_province", "crossing_province") for r in reasons):
        found.append("cross_province")
    declared = {t["trigger"] for t in incident.reporting_triggers}
    found += [t for t in DECLARED_TRIGGERS if t in declared]
    return found


def _intake_reached(incident: Incident) -> bool:
    """A drinking-water intake the trace may reach, whatever town it serves (one that serves no
    recorded town gives no level reason, but the source is affected all the same)."""
    from plans.threat import threat_basis

    from .assessment import pollutant_has_limit, receptors_of

    trace = incident.trace or {}
    receptors = receptors_of(trace)
    for entry in trace.get("downstream", []):
        feature = receptors.get(entry["id"]) if entry["kind"] == "receptor" else None
        if feature is None or feature.receptor_type != "drinking_water":
            continue
        basis = threat_basis(
            entry,
            receptor_type=feature.receptor_type,
            with_mass=incident.mass_kg is not None,
            pollutant_has_limit=pollutant_has_limit(incident),
        )
        if basis is not None:
            return True
    return False


def recipients(procedure: str) -> list[str]:
    if procedure == SERIOUS:
        return [settings.REPORTING_GOVERNMENT, settings.REPORTING_PROVINCIAL_DEPARTMENT, settings.REPORTING_MINISTRY]
    return [settings.REPORTING_GOVERNMENT, settings.REPORTING_HIGHER_DEPARTMENT]


def _task_text(procedure: str, due: datetime, to: list[str]) -> str:
    return (
        f"信息报告（初报）：{timezone.localtime(due):%m-%d %H:%M}前报告{'、'.join(to)}"
        f"（{PROCEDURE_TEXT[procedure]}，自接报时起算；紧急时可先电话报告，随后书面报告）"
    )


def create_reporting_deadline(
    incident: Incident,
    *,
    actor=None,
    now: datetime,
    departments=None,
    log: list | None = None,
    coordinator: Department | None | object = _UNREAD,
) -> Task | None:
    """At opening (the caller holds the incident lock; the task's event goes to `log` when given).
    `coordinator`, when the caller has read it (the opening), saves reading it again."""
    from .opening import create_task

    if coordinator is _UNREAD:
        coordinator = Department.objects.filter(is_coordinator=True).first()
    if coordinator is None or (departments is not None and coordinator.pk not in departments):
        return None
    why = triggers(incident)
    procedure = SERIOUS if why else GENERAL
    due = incident.reported_at + timedelta(hours=HOURS[procedure])
    to = recipients(procedure)
    task = create_task(
        incident,
        department=coordinator,
        text=_task_text(procedure, due, to),
        ack_minutes=10,
        complete_minutes=max(1, int((due - now).total_seconds() // 60)),
        order=0,
        source="reporting",
        actor=actor,
        now=now,
        log=log,
    )
    if task.due != due:  # the clock runs from reported_at, not from the task's creation
        task.due = due
        task.save(update_fields=["due"])
    ReportingDeadline.objects.create(incident=incident, task=task, procedure=procedure, triggers=why, recipients=to)
    return task


def retime_reporting(incident: Incident, *, actor=None, now: datetime | None = None) -> ReportingDeadline | None:
    """After anything that can change the level or the procedure (the caller holds the lock and
    has saved the incident). Moves to the serious procedure when a trigger appears."""
    now = now or timezone.now()
    deadline = ReportingDeadline.objects.select_related("task").filter(incident=incident).first()
    if deadline is None:
        return None
    why = triggers(incident)
    if deadline.procedure == SERIOUS or not why:
        if deadline.procedure == SERIOUS and set(why) - set(deadline.triggers):
            deadline.triggers = [*deadline.triggers, *[t for t in why if t not in deadline.triggers]]
            deadline.save(update_fields=["triggers"])
        return deadline
    task = deadline.task
    previous_due = task.due
    deadline.procedure, deadline.triggers = SERIOUS, why
    deadline.recipients = recipients(SERIOUS)
    deadline.save(update_fields=["procedure", "triggers", "recipients"])
    supplement = None
    if task.status in (Task.Status.PENDING, Task.Status.ACKNOWLEDGED, Task.Status.IN_PROGRESS):
        task.due = min(task.due, now + timedelta(hours=HOURS[SERIOUS])) if task.due else now + timedelta(hours=2)
        task.text = _task_text(SERIOUS, task.due, deadline.recipients)
        task.save(update_fields=["due", "text"])
    else:
        # Already reported under the 4-hour procedure: those the II/I procedure adds (the
        # provincial department, the ministry) are still owed a report, within 2 hours.
        supplement = _supplementary_task(incident, task, deadline, actor=actor, now=now)
    record(
        incident,
        "reporting_retimed",
        {
            "task": task.pk,
            "procedure": SERIOUS,
            "triggers": why,
            "recipients": deadline.recipients,
            "previous_due": timezone.localtime(previous_due).isoformat() if previous_due else None,
            "due": timezone.localtime(task.due).isoformat() if task.due else None,
            "task_open": task.status not in (Task.Status.DONE, Task.Status.CANCELLED),
            "supplementary_task": supplement.pk if supplement else None,
        },
        actor=actor,
        at=now,
    )
    return deadline


def _supplementary_task(incident: Incident, done: Task, deadline: ReportingDeadline, *, actor, now) -> Task | None:
    from .opening import create_task

    owed = [r for r in deadline.recipients if r not in (deadline.reported_to or [])]
    if not owed:
        return None
    return create_task(
        incident,
        department=done.department,
        text=(
            f"信息报告（补报）：{timezone.localtime(now + timedelta(hours=2)):%m-%d %H:%M}前报告{'、'.join(owed)}"
            f"（{PROCEDURE_TEXT[SERIOUS]}）"
        ),
        ack_minutes=10,
        complete_minutes=HOURS[SERIOUS] * 60,
        order=0,
        source="reporting",
        actor=actor,
        now=now,
    )


@transaction.atomic
def declare_trigger(incident: Incident, trigger: str, note: str = "", *, actor=None, now: datetime | None = None):
    """The duty officer says the event goes through the II/I procedure (sensitive groups, or the
    bureau's judgement)."""
    if trigger not in DECLARED_TRIGGERS:
        raise ValidationError({"trigger": [_("One of: %(t)s.") % {"t": ", ".join(DECLARED_TRIGGERS)}]})
    now = now or timezone.now()
    incident = lock_incident(incident.pk)
    if incident.status == Incident.Status.CLOSED:
        raise DomainRefusal(_("The incident is closed; reopen it first."), status=incident.status)
    if trigger not in {t["trigger"] for t in incident.reporting_triggers}:
        incident.reporting_triggers = [
            *incident.reporting_triggers,
            {"trigger": trigger, "note": note.strip(), "at": timezone.localtime(now).isoformat()},
        ]
        incident.save(update_fields=["reporting_triggers", "updated_at"])
        record(incident, "reporting_trigger_declared", {"trigger": trigger, "note": note.strip()}, actor=actor, at=now)
    retime_reporting(incident, actor=actor, now=now)
    return incident


@transaction.atomic
def record_delivery(
    task: Task,
    *,
    reported_by: str,
    reported_to: list[str],
    via: str,
    reported_at: datetime | None = None,
    note: str = "",
    actor=None,
    now: datetime | None = None,
) -> Task:
    """Complete the reporting task with who reported to whom, how and when."""
    from .assignments import complete_task

    now = now or timezone.now()
    errors = {}
    if not (reported_by or "").strip():
        errors["reported_by"] = [_("Who made the report.")]
    reported_to = [r.strip() for r in reported_to or [] if r and r.strip()]
    if not reported_to:
        errors["reported_to"] = [_("To whom it was reported.")]
    if via not in ReportingDeadline.Via.values:
        errors["via"] = [_("telephone or written.")]
    reported_at = reported_at or now
    if reported_at > now + timedelta(minutes=5):
        errors["reported_at"] = [_("A report cannot be made in the future.")]
    if errors:
        raise ValidationError(errors)
    incident = lock_incident(task.incident_id)
    deadline = ReportingDeadline.objects.select_for_update().get(task_id=task.pk)
    if deadline.reported_at is not None:
        raise DomainRefusal(_("This report is already recorded."), task=task.pk)
    deadline.reported_by, deadline.reported_to = reported_by.strip(), reported_to
    deadline.via, deadline.reported_at = via, reported_at
    deadline.save(update_fields=["reported_by", "reported_to", "via", "reported_at"])
    late = reported_at > task.due if task.due else False
    record(
        incident,
        "report_delivered",
        {
            "task": task.pk,
            "procedure": deadline.procedure,
            "reported_by": deadline.reported_by,
            "reported_to": reported_to,
            "via": via,
            "reported_at": timezone.localtime(reported_at).isoformat(),
            "missing": [r for r in deadline.recipients if r not in reported_to],
            "late": late,
        },
        actor=actor,
        at=now,
    )
    when = timezone.localtime(reported_at)
    summary = f"{deadline.reported_by}于{when:%m-%d %H:%M}以{VIA_TEXT[via]}方式报告{'、'.join(reported_to)}"
    return complete_task(task, (f"{summary}。{note.strip()}" if note.strip() else summary), actor=actor, now=now)
