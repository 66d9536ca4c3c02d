"""Alerts listen to what incidents and inventory announce (they never call alerts).

incidents.event_recorded arrives INSIDE the transaction that wrote the event, so the
Notification rows created here commit or roll back with the change; the SMS itself leaves
only after commit (notify.schedule_after_commit).
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.dispatch import receiver

from backend.incidents.signals import event_recorded, events_recorded
from inventory.signals import stock_alerts_computed

from .services import incident_alerts, stock

log = logging.getLogger(__name__)


@receiver(event_recorded, dispatch_uid="alerts.incident_event")
def on_incident_event(sender, incident, event, batched=False, **kwargs):
    # A savepoint: should alerting fail (a bug, bad data), its rows roll back and the change
    # itself (opening an incident, a task) still commits; the error is logged loudly.
    if batched or event.event_type not in incident_alerts.HANDLERS:
        return  # batched: on_incident_events takes them together; sms_status: nothing to do
    try:
        with transaction.atomic():
            incident_alerts.handle_event(incident, event)
    except Exception:
        log.exception("alerts could not handle %s event of incident %s", event.event_type, incident.pk)


@receiver(events_recorded, dispatch_uid="alerts.incident_events")
def on_incident_events(sender, incident, events, **kwargs):
    """Events appended together (an opening: its tasks): one savepoint, and each department's
    tasks handled in one pass (incident_alerts.handle_events)."""
    handled = [event for event in events if event.event_type in incident_alerts.HANDLERS]
    if not handled:
        return
    try:
        with transaction.atomic():
            incident_alerts.handle_events(incident, handled)
    except Exception:
        types = sorted({event.event_type for event in handled})
        log.exception("alerts could not handle the %s events of incident %s", ", ".join(types), incident.pk)


@receiver(stock_alerts_computed, dispatch_uid="alerts.stock_digest")
def on_stock_alerts(sender, digest: dict, on, **kwargs):
    # Inventory announces after its commit; send_digests runs in its own transaction.
    stock.send_digests(digest, on)
