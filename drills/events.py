"""The event types the drills app owns (contract: backend/eventtypes.py, docs/events.md).
Registered from DrillsConfig.ready(); written by services/running.py."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.eventtypes import EventType, boolean, integer, number, string, when

CONTROL_ACTIONS = ("start", "pause", "resume", "end", "skip", "add_inject")

TYPES = [
    EventType(
        "inject_delivered",
        gettext_lazy("Inject delivered"),
        {
            "drill": integer(),
            "inject": integer(),
            "number": integer(),
            "to": string(help="department code"),
            "department": string(help="department code (alerts sends the SMS to it)"),
            "from": string(help="who the inject pretends to come from"),
            "message": string(),
            "sms": string(help="the SMS text, without the 【演练】 prefix that alerts adds"),
            "expected_action": string(nullable=True),
            "objective": string(nullable=True),
            "task": integer(nullable=True),
            "offset_minutes": number(),
            "early": boolean(),
        },
        lambda d: _("Inject %(number)s to %(to)s: %(message)s") % d,
    ),
    EventType(
        "drill_control",
        gettext_lazy("Drill control"),
        {
            "drill": integer(),
            "action": string(choices=CONTROL_ACTIONS),
            # Per action: start {title, scheduled_start}; skip {inject, number, reason};
            # add_inject {inject, number}; resume {paused_seconds, deadlines_shifted};
            # end {paused_seconds?}.
            "title": string(required=False),
            "scheduled_start": when(required=False),
            "inject": integer(required=False),
            "number": integer(required=False),
            "reason": string(required=False),
            "paused_seconds": number(required=False),
            "deadlines_shifted": integer(required=False),
        },
        lambda d: _("Drill: %(action)s") % d,
    ),
]
