"""Incidents listen to the apps below them (docs/architecture.md: lower apps announce, upper apps listen)."""

from __future__ import annotations

import logging

from django.dispatch import receiver

from inventory import events as inventory_events
from inventory.signals import dispatch_changed

from .models import Incident
from .services import append_event

log = logging.getLogger(__name__)


@receiver(dispatch_changed, dispatch_uid="incidents.dispatch_timeline")
def put_dispatch_on_the_timeline(sender, dispatch, step, actor=None, data=None, **kwargs):
    incident_id = (data or {}).get("incident") or getattr(dispatch, "incident_id", None)
    if not incident_id or not Incident.objects.filter(pk=incident_id).exists():
        return
    append_event(
        incident_id,
        inventory_events.event_type_for(step),
        {"step": step, **(data or {})},
        actor=actor,
    )
