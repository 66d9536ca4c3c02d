"""The alerts' entries in the incident's event log (sms_status, escalated)."""

from __future__ import annotations

from datetime import datetime

from backend.incidents.services import append_event

ACTOR = "短信平台"


def sms_event_data(notification, status: str, *, previous: str, **extra) -> dict:
    return {
        "notification": notification.pk,
        "contact": notification.contact.name,
        "department": notification.department.code,
        "to": notification.to,
        "status": status,
        "previous": previous,
        "kind": notification.kind,
        "error_code": notification.error_code or None,
        "error": notification.error_message or None,
        **extra,
    }


def sms_event(notification, status: str, *, previous: str, now: datetime, actor=None, **extra) -> None:
    """One `sms_status` event per change, in the caller's transaction (digests have no incident)."""
    if notification.incident_id is None:
        return
    data = sms_event_data(notification, status, previous=previous, **extra)
    append_event(notification.incident_id, "sms_status", data, actor=actor, actor_name="" if actor else ACTOR, at=now)
