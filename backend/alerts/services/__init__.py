"""The verbs of alerts: the only code that writes notifications, tokens, escalations and the
inbound log. Modules by feature: notify (queue + storm merge), sending (claim, provider,
retry, sweep, resend), status (callbacks), acks (link and reply), escalation, stock (digest),
incident_alerts (which events become SMS), summary (what the board shows)."""

from .notify import notify_departments  # the entry point drills looks up

__all__ = ["notify_departments"]
