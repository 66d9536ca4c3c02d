"""The event types the incidents app owns (the contract: backend/eventtypes.py, docs/events.md).

Registered from IncidentsConfig.ready(). To add a type: add an EventType here (fields, label,
renderer), write it with services.events.record, add its Chinese label to the fragment.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.eventtypes import EventType, array, boolean, integer, number, obj, string, when

# The fields every task event carries (services.opening.task_data).
TASK = {
    "task": integer(),
    "department": string(help="department code"),
    "text": string(),
    "status": string(),
    "ack_due": when(),
    "due": when(nullable=True),
    "source": string(),
}
IMPACT = {
    "deaths": integer(required=False, nullable=True),
    "poisoned": integer(required=False, nullable=True),
    "evacuated": integer(required=False, nullable=True),
    "direct_loss_yuan": number(required=False, nullable=True),
}
# Task events reach the task's department's page (backend/incidents/consumers.py, BoardConsumer).
TO_DEPT = {"department_fields": ("department",)}
POINT = obj(help='GeoJSON Point {"type": "Point", "coordinates": [lon, lat]}')


INTAKE = {
    "feature": integer(help="RiverFeature id of the drinking-water intake"),
    "name": string(),
    "serves": string(nullable=True, help="prefecture | county | township"),
    "suggested": integer(),
    "level": integer(),
    "reasons": array(),
}
LEGAL_TYPES = [
    EventType(
        "intake_suspended",
        gettext_lazy("Intake suspended"),
        INTAKE,
        lambda d: _("Intake cut off: %(name)s") % d,
        description="A drinking-water intake cut off: a confirmed level reason.",
    ),
    EventType(
        "intake_resumed",
        gettext_lazy("Intake resumed"),
        INTAKE,
        lambda d: _("Intake restored: %(name)s") % d,
    ),
    EventType(
        "reporting_retimed",
        gettext_lazy("Reporting deadline re-timed"),
        {
            "task": integer(),
            "procedure": string(choices=("serious",)),
            "triggers": array(
                help="level | drinking_water | heavy_metal | cross_province | sensitive_groups | officer"
            ),
            "recipients": array(),
            "previous_due": when(nullable=True),
            "due": when(nullable=True),
            "task_open": boolean(),
            "supplementary_task": integer(nullable=True),
        },
        lambda d: _("Reporting under the II/I procedure, due %(due)s") % d,
    ),
    EventType(
        "reporting_trigger_declared",
        gettext_lazy("II/I reporting procedure declared"),
        {"trigger": string(choices=("sensitive_groups", "officer")), "note": string()},
        lambda d: _("II/I reporting procedure: %(trigger)s") % d,
    ),
    EventType(
        "report_delivered",
        gettext_lazy("Reported upward"),
        {
            "task": integer(),
            "procedure": string(choices=("general", "serious")),
            "reported_by": string(),
            "reported_to": array(),
            "via": string(choices=("telephone", "written")),
            "reported_at": when(),
            "missing": array(help="recipients of the procedure not reported to"),
            "late": boolean(),
        },
        lambda d: _("%(reported_by)s reported to %(to)s (%(via)s)") % {**d, "to": ", ".join(d["reported_to"])},
    ),
    EventType(
        "report_issued",
        gettext_lazy("Information report issued"),
        {
            "report": integer(),
            "kind": string(choices=("initial", "followup", "result")),
            "number": integer(),
            "signatory": string(),
            "unit": string(),
        },
        lambda d: _("Report issued: %(kind)s %(number)s, signed by %(signatory)s") % d,
    ),
]


def _task_line(verb):
    return lambda d: f"{verb()} [{d['department']}] {d['text']}"


TYPES = [
    EventType(
        "opened",
        gettext_lazy("Incident opened"),
        {
            "title": string(),
            "kind": string(),
            "short_code": string(),
            "location": POINT,
            "occurred_at": when(),
            "pollutant": string(nullable=True, help="pollutant code"),
            "mass_kg": number(nullable=True),
            "exercise": boolean(),
            "river": string(nullable=True, help="river code"),
            "level": integer(),
            "level_reasons": array(help="each reason with its basis: confirmed | predicted"),
            "potential_level": integer(required=False, help="what the trace reaches without a quantity"),
            "potential_reasons": array(required=False, help="reasons with basis potential"),
            **IMPACT,
        },
        lambda d: _("Incident opened: %(title)s (level %(level)s)") % d,
    ),
    EventType(
        "plan_activated",
        gettext_lazy("Plan activated"),
        {"plan": integer(), "river": string(), "version": integer(), "title": string()},
        lambda d: _("Plan activated: %(title)s (version %(version)s)") % d,
    ),
    EventType(
        "level_changed",
        gettext_lazy("Level changed"),
        {"from": integer(), "to": integer(), "reason": string(), "suggested": integer(nullable=True)},
        lambda d: _("Level %(from)s → %(to)s: %(reason)s") % d,
    ),
    EventType(
        "status_changed",
        gettext_lazy("Status changed"),
        {"from": string(), "to": string()},
        lambda d: _("Status %(from)s → %(to)s") % d,
    ),
    EventType("task_created", gettext_lazy("Task assigned"), TASK, _task_line(lambda: _("Task assigned")), **TO_DEPT),
    EventType(
        "task_acknowledged",
        gettext_lazy("Task acknowledged"),
        {**TASK, "via": string(), "late": boolean()},
        _task_line(lambda: _("Task acknowledged")),
        **TO_DEPT,
    ),
    EventType("task_started", gettext_lazy("Task started"), TASK, _task_line(lambda: _("Task started")), **TO_DEPT),
    EventType(
        "task_completed",
        gettext_lazy("Task completed"),
        {**TASK, "note": string(), "late": boolean()},
        _task_line(lambda: _("Task completed")),
        **TO_DEPT,
    ),
    EventType(
        "task_reassign_requested",
        gettext_lazy("Reassignment requested"),
        {**TASK, "reason": string()},
        _task_line(lambda: _("Reassignment requested")),
        **TO_DEPT,
    ),
    EventType(
        "task_reassigned",
        gettext_lazy("Task reassigned"),
        {**TASK, "from": string(help="the previous department's code"), "reason": string()},
        lambda d: _("Task reassigned from %(from)s to %(department)s: %(text)s") % d,
        department_fields=("department", "from"),
    ),
    EventType("note", gettext_lazy("Note"), {"text": string()}, lambda d: d["text"]),
    EventType(
        "sample_recorded",
        gettext_lazy("Sample recorded"),
        {
            "sample": integer(),
            "location": POINT,
            "pollutant": string(),
            "value_mg_l": number(),
            "sampled_at": when(),
            "sampled_by": string(),
            "predicted_mg_l": number(nullable=True),
            "distance_m": number(required=False),
            "predicted_arrival_at": when(required=False),
        },
        lambda d: _("Sample: %(pollutant)s %(value_mg_l)s mg/L") % d,
    ),
    EventType(
        "impact_updated",
        gettext_lazy("Impact updated"),
        {
            **IMPACT,
            "suggested": integer(),
            "level": integer(),
            "reasons": array(),
            "potential_level": integer(required=False),
        },
        lambda d: _("Impact updated; suggested level %(suggested)s") % d,
    ),
    EventType("closed", gettext_lazy("Incident closed"), {"summary": string()}, lambda d: _("Closed: %(summary)s") % d),
    EventType(
        "reopened",
        gettext_lazy("Incident reopened"),
        {"reason": string(), "to": string()},
        lambda d: _("Reopened: %(reason)s") % d,
    ),
    # Issue 15: intakes cut off, reporting deadlines, information reports.
    *LEGAL_TYPES,
]
