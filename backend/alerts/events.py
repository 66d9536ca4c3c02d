"""The event types the alerts app owns (contract: backend/eventtypes.py, docs/events.md).
Registered from AlertsConfig.ready(); written by services/events.py and services/escalation.py."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.eventtypes import EventType, array, integer, string

TYPES = [
    EventType(
        "sms_status",
        gettext_lazy("SMS status"),
        {
            "notification": integer(),
            "contact": string(help="the contact's name"),
            "department": string(help="department code"),
            "to": string(help="E.164 number"),
            "status": string(),
            "previous": string(),
            "kind": string(),
            "error_code": string(nullable=True),
            "error": string(nullable=True),
            "resend_of": integer(required=False, help="the notification this one resends"),
        },
        lambda d: _("SMS to %(contact)s: %(status)s") % d,
    ),
    EventType(
        "escalated",
        gettext_lazy("Escalated"),
        {
            "department": string(help="department code"),
            "step": integer(help="1-based step of the ladder"),
            "target": string(),
            "waited_minutes": integer(),
            "contacts": array(help="[{id, name, department}]"),
            "tasks": array(help="task ids"),
        },
        lambda d: _("Escalated: %(department)s, step %(step)s after %(waited_minutes)s min") % d,
    ),
]
