"""Incidents listen to the apps below them (DESIGN.md: lower apps announce, upper apps listen)."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from inventory.signals import dispatch_changed

from .models import Incident
from .services import append_event

log = logging.getLogger(__name__)

STEP_EVENTS = {"requested": "resource_requested", "dispatched": "resource_dispatched"}


@receiver(dispatch_changed, dispatch_uid="incidents.dispatch_timeline")
def put_dispatch_on_the_timeline(sender, dispatch, step, actor=None, data=None, **kwargs):
    incident_id = (data or {}).get("incident") or getattr(dispatch, "incident_id", None)
    if not incident_id or not Incident.objects.filter(pk=incident_id).exists():
        return
    append_event(
        incident_id,
        STEP_EVENTS.get(step, "resource_updated"),
        {"step": step, **(data or {})},
        actor=actor,
    )
