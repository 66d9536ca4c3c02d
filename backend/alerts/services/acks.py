"""Acknowledgement by link (one tap, no login) and by reply SMS (short code + 收到/确认/OK/ACK).

Both acknowledge the open, not yet acknowledged tasks of the contact's department on that
incident, through incidents' own acknowledge_task (idempotent, writes task_acknowledged).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from backend.directory.models import Contact
from backend.incidents.models import Incident, Task
from backend.incidents.services import acknowledge_task

from ..models import AckToken, InboundMessage
from . import tokens

OPEN = (Task.Status.PENDING, Task.Status.ACKNOWLEDGED, Task.Status.IN_PROGRESS)
# Latin words only as whole words (Chinese characters count as letters for \b, so use
# explicit ASCII look-arounds): "收到OK" acknowledges, a short code such as "K8CK" does not.
ACK_WORDS = re.compile(r"收到|确认|知道了|(?<![A-Za-z])(?:OK|ACK|YES)(?![A-Za-z])", re.IGNORECASE)
CODE_WORDS = re.compile(r"[A-Za-z0-9]+")


class TokenGone(Exception):
    """The token exists but can no longer be used: HTTP 410. `reason` is one of used,
    expired, replaced (its message was resent with a new link), inactive (the contact left)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _check(token: AckToken, now: datetime) -> None:
    if token.used_at is not None:
        raise TokenGone("used")
    if token.revoked_at is not None:
        raise TokenGone("replaced")
    if not token.contact.active:
        raise TokenGone("inactive")
    if token.expires_at <= now:
        raise TokenGone("expired")


def pending_tasks(department_id: int, incident_id: int):
    return Task.objects.filter(
        incident_id=incident_id, department_id=department_id, status__in=OPEN, acknowledged_at__isnull=True
    ).order_by("order", "pk")


def usable_token(key: str, now: datetime | None = None) -> AckToken | None:
    """The token for a link, None when unknown (404); raises TokenGone when it can no longer
    be used (410)."""
    now = now or timezone.now()
    token = tokens.find(key).select_related("contact__department", "incident").first()
    if token is None:
        return None
    _check(token, now)
    return token


def _acknowledge(contact: Contact, incident: Incident, via: str, now: datetime) -> list[Task]:
    done = []
    for task in pending_tasks(contact.department_id, incident.pk):
        done.append(acknowledge_task(task, actor_name=contact.name, via=via, now=now))
    return done


@transaction.atomic
def acknowledge_by_token(key: str, now: datetime | None = None) -> tuple[AckToken, list[Task]]:
    """The POST of the link's button. Single use: the row lock makes a double tap a 410."""
    now = now or timezone.now()
    token = tokens.find(key).select_for_update().first()
    if token is None:
        raise AckToken.DoesNotExist()
    token.contact = Contact.objects.select_related("department").get(pk=token.contact_id)
    _check(token, now)
    token.used_at = now
    token.save(update_fields=["used_at"])
    return token, _acknowledge(token.contact, token.incident, "link", now)


@dataclass
class InboundResult:
    result: str
    incident: Incident | None = None
    tasks: list = field(default_factory=list)


def _find_incident(body: str) -> Incident | None:
    codes = {word.upper() for word in CODE_WORDS.findall(body) if 4 <= len(word) <= 6}
    if not codes:
        return None
    return Incident.objects.exclude(status=Incident.Status.CLOSED).filter(short_code__in=codes).first()


@transaction.atomic
def handle_inbound(from_number: str, body: str, *, sid: str = "", now: datetime | None = None) -> InboundResult:
    """A reply SMS. Unknown sender, unknown code or no acknowledging word: logged, nothing changes."""
    now = now or timezone.now()
    body = (body or "").strip()
    contacts = list(Contact.objects.select_related("department").filter(mobile=from_number.strip(), active=True))
    incident = _find_incident(body) if contacts else None
    log = InboundMessage(provider_sid=sid[:64], from_number=from_number[:32], body=body, received_at=now)
    log.contact, log.incident = (contacts[0] if contacts else None), incident
    if not contacts:
        outcome = InboundResult("unknown_sender")
    elif incident is None:
        outcome = InboundResult("unknown_code")
    elif not ACK_WORDS.search(body):
        outcome = InboundResult("not_ack", incident)
    else:
        # The same number may serve two departments (a county official): acknowledge for each
        # department that has tasks on this incident.
        tasks = [task for contact in contacts for task in _acknowledge(contact, incident, "sms", now)]
        outcome = InboundResult("acknowledged" if tasks else "already", incident, tasks)
    log.result, log.acknowledged = outcome.result, len(outcome.tasks)
    log.save()
    return outcome
