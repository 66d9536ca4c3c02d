"""The event types inventory owns: a dispatch's steps on the incident's timeline (contract:
backend/eventtypes.py, docs/events.md). Registered from InventoryConfig.ready(); the incidents
app writes them when inventory announces a step (signals.dispatch_changed), inside the
transaction of the step."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from backend.eventtypes import EventType, array, integer, number, string

STEPS = ("requested", "approved", "dispatched", "delivered", "closed", "cancelled")

DISPATCH = {
    "step": string(choices=STEPS),
    "dispatch": integer(),
    "incident": integer(),
    "depot": string(help="depot code"),
    "item": string(help="item code"),
    "unit": string(),
    "quantity": number(),
    "returned_quantity": number(nullable=True),
    "consumed_quantity": number(nullable=True),
    "lots": array(help="[{lot: code, quantity}]"),
}


def _line(verb):
    return lambda d: f"{verb()}: {d['item']} {d['quantity']} {d['unit']} ({d['depot']})"


# The step → event type map lives with the types (backend/incidents/receivers.py reads it).
STEP_EVENTS = {"requested": "resource_requested", "dispatched": "resource_dispatched"}
OTHER_STEPS_EVENT = "resource_updated"

TYPES = [
    EventType(
        "resource_requested", gettext_lazy("Supplies requested"), DISPATCH, _line(lambda: _("Supplies requested"))
    ),
    EventType(
        "resource_dispatched", gettext_lazy("Supplies dispatched"), DISPATCH, _line(lambda: _("Supplies dispatched"))
    ),
    EventType(
        "resource_updated",
        gettext_lazy("Supplies dispatch updated"),
        DISPATCH,
        lambda d: _("Supplies %(step)s: %(item)s %(quantity)s %(unit)s (%(depot)s)") % d,
    ),
]


def event_type_for(step: str) -> str:
    return STEP_EVENTS.get(step, OTHER_STEPS_EVENT)
