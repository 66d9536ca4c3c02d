"""The event log: every change to an incident is an IncidentEvent written in the same
transaction, with a per-incident gapless seq, and pushed to sockets only after commit."""

from __future__ import annotations

import json
import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from backend import eventtypes, realtime

from ..models import Incident, IncidentEvent, Task
from ..signals import event_recorded, events_recorded

log = logging.getLogger(__name__)

BOARD_GROUP = "incidents.board"


def incident_group(incident_id: int) -> str:
    return f"incidents.incident.{incident_id}"


def department_group(code: str) -> str:
    """Task events for one department (the department page follows it on /ws/board/)."""
    return f"incidents.department.{code}"


def lock_incident(incident_id: int) -> Incident:
    """Take the incident's row lock: every writer of events goes through here, so two
    concurrent writers queue on the lock and seq stays gapless and unique."""
    return Incident.objects.select_for_update().get(pk=incident_id)


def actor_label(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.username


def serialize_event(event: IncidentEvent) -> dict:
    """The event shape, identical over REST and WebSocket (docs/events.md)."""
    return {
        "seq": event.seq,
        "event_type": event.event_type,
        "at": timezone.localtime(event.at).isoformat(),
        "actor": event.actor_name or None,
        "data": event.data,
    }


def record(
    incident: Incident, event_type: str, data: dict, *, actor=None, actor_name: str = "", at: datetime | None = None
) -> IncidentEvent:
    """Append an event. The caller holds the incident's lock (lock_incident) in its transaction.
    The data must match the type's schema (backend/eventtypes.py); otherwise EventSchemaError,
    a programming error: the change it describes is rolled back with it."""
    contract = eventtypes.validate(event_type, data)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("events are written inside the transaction of the change")
    incident.last_seq += 1
    # The caller's incident keeps what the row now holds (a body built from it shows the truth).
    incident.updated_at = timezone.now()
    Incident.objects.filter(pk=incident.pk).update(last_seq=incident.last_seq, updated_at=incident.updated_at)
    event = IncidentEvent.objects.create(
        incident=incident,
        seq=incident.last_seq,
        event_type=event_type,
        at=at or timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor_name or actor_label(actor),
        data=data,
    )
    payload = serialize_event(event)
    incident_id = incident.pk
    transaction.on_commit(lambda: publish_event(incident_id, payload))
    transaction.on_commit(lambda: publish_board(incident_id))
    if contract.department_fields:
        message = task_message(incident, payload)
        for code in {data.get(f) for f in contract.department_fields} - {None}:
            transaction.on_commit(lambda code=code: _group_send(department_group(code), message))
    event_recorded.send(sender=Incident, incident=incident, event=event)
    return event


def record_many(
    incident: Incident,
    entries: list[tuple[str, dict, datetime | None]],
    *,
    actor=None,
    actor_name: str = "",
    board_tasks: list[dict] | None = None,
):
    """Append several events at once (consecutive seqs, one UPDATE, one INSERT, one board push):
    for a burst of system events such as SMS status callbacks, and for the opening of an
    incident (its tasks). The caller holds the lock. Listeners get each event_recorded (marked
    `batched`) and then one events_recorded with all of them, so that alerts can handle the
    tasks of one department together (signals.py). `board_tasks` (rows as _task_rows reads
    them), from a caller whose transaction ends with this and who knows every task (the opening,
    its own transaction): the board push is built from `incident` and them, not read back."""
    if not entries:
        return []
    contracts = [eventtypes.validate(event_type, data) for event_type, data, _at in entries]
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("events are written inside the transaction of the change")
    now = timezone.now()
    first = incident.last_seq + 1
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    actor_name = actor_name or actor_label(actor)
    events = [
        IncidentEvent(incident=incident, seq=first + i, event_type=event_type, at=at or now, actor_id=actor_id,
                      actor_name=actor_name, data=data)
        for i, (event_type, data, at) in enumerate(entries)
    ]  # fmt: skip
    incident.last_seq += len(events)
    incident.updated_at = now  # as record() does
    Incident.objects.filter(pk=incident.pk).update(last_seq=incident.last_seq, updated_at=now)
    IncidentEvent.objects.bulk_create(events)
    payloads = [serialize_event(event) for event in events]
    incident_id = incident.pk
    department_sends = []
    for contract, payload, (_type, data, _at) in zip(contracts, payloads, entries, strict=True):
        if contract.department_fields:  # as record() does
            message = task_message(incident, payload)
            for code in sorted({data.get(f) for f in contract.department_fields} - {None}):
                department_sends.append((department_group(code), message))

    def publish() -> None:
        # What record() pushes in three kinds of hooks, in the same order, handed to the
        # channel layer at once: the events in seq order, the board, the departments.
        # One channel-layer message for all the events (in seq order): a burst of a thousand
        # status callbacks costs one Redis publish per batch, not one per event.
        sends = [(incident_group(incident_id), events_message(payloads))]
        board = board_message(incident_id) if board_tasks is None else _board_message_of(incident, board_tasks)
        try:
            realtime.group_send_many([*sends, *([(BOARD_GROUP, board)] if board else []), *department_sends])
        except Exception:
            # The events are safe in the database; a client that missed them gets them on resume.
            log.exception("could not push the events of incident %s", incident_id)

    transaction.on_commit(publish)
    for event in events:
        event_recorded.send(sender=Incident, incident=incident, event=event, batched=True)
    events_recorded.send(sender=Incident, incident=incident, events=events)
    return events


def _group_send(group: str, message: dict) -> None:
    try:
        realtime.group_send(group, message)
    except Exception:
        # The event is safe in the database; a client that missed it gets it on resume.
        log.exception("could not push to %s", group)


def publish_event(incident_id: int, payload: dict) -> None:
    _group_send(incident_group(incident_id), event_message(payload))


def event_message(payload: dict) -> dict:
    # The socket frame is encoded once here, not once per connected socket.
    frame = json.dumps({"type": "event", **payload}, ensure_ascii=False)
    return {"type": "incident.event", "event": payload, "frame": frame}


def events_message(payloads: list[dict]) -> dict:
    """Consecutive events as one message (type incident.events; the consumers apply them in
    order as if each had come alone); a single event as incident.event."""
    if len(payloads) == 1:
        return event_message(payloads[0])
    frames = [json.dumps({"type": "event", **payload}, ensure_ascii=False) for payload in payloads]
    return {"type": "incident.events", "events": payloads, "frames": frames}


def task_message(incident: Incident, payload: dict) -> dict:
    """A department's task event: the event, and enough of its incident to show it."""
    incident_brief = {
        "id": incident.pk,
        "short_code": incident.short_code,
        "title": incident.title,
        "exercise": incident.exercise,
    }
    frame = json.dumps({"type": "task", "incident": incident_brief, **payload}, ensure_ascii=False)
    return {"type": "department.task", "frame": frame}


def _task_rows(incident: Incident) -> list[dict]:
    return list(Task.objects.filter(incident=incident).values("status", "ack_due", "due", "department__code"))


def board_summary(incident: Incident, now: datetime | None = None, tasks: list[dict] | None = None) -> dict:
    now = now or timezone.now()
    tasks = _task_rows(incident) if tasks is None else tasks
    open_tasks = [t for t in tasks if t["status"] not in (Task.Status.DONE, Task.Status.CANCELLED)]
    overdue = [
        t
        for t in open_tasks
        if (t["status"] == Task.Status.PENDING and t["ack_due"] < now) or (t["due"] is not None and t["due"] < now)
    ]
    return {
        "id": incident.pk,
        "short_code": incident.short_code,
        "title": incident.title,
        "level": incident.level,
        "status": incident.status,
        "exercise": incident.exercise,
        "river": incident.river.code if incident.river_id else None,
        "open_tasks": len(open_tasks),
        "overdue_tasks": len(overdue),
        "updated_at": timezone.localtime(incident.updated_at).isoformat(),
        # The board shows each incident's age: with it here the page needs no detail request.
        "reported_at": timezone.localtime(incident.reported_at).isoformat(),
    }


def task_departments(tasks: list[dict]) -> list[str]:
    """Who has tasks on it: the board consumer filters exercises by this, without a query per socket."""
    return sorted({task["department__code"] for task in tasks})


def publish_board(incident_id: int) -> None:
    message = board_message(incident_id)
    if message is not None:
        _group_send(BOARD_GROUP, message)


# What board_summary reads: every event's push reads the incident again after the commit (SMS
# status callbacks too), so not its trace, location or reasons (JSON and geometry to decode) nor
# its river's line.
BOARD_FIELDS = (
    "id", "short_code", "title", "level", "status", "exercise", "river_id", "river__code", "updated_at", "reported_at",
)  # fmt: skip


def board_message(incident_id: int) -> dict | None:
    incident = Incident.objects.select_related("river").only(*BOARD_FIELDS).filter(pk=incident_id).first()
    if incident is None:
        return None
    return _board_message_of(incident, _task_rows(incident))  # one read for the summary and the departments


def _board_message_of(incident: Incident, tasks: list[dict]) -> dict:
    # `data` is what the sockets send, exactly the fields; the rest is for filtering.
    message = {"type": "board.incident", "data": board_summary(incident, tasks=tasks)}
    return {**message, "departments": task_departments(tasks)}


def board_rows(tasks: list[Task]) -> list[dict]:
    """Tasks in memory as _task_rows reads them (their departments loaded)."""
    return [
        {"status": t.status, "ack_due": t.ack_due, "due": t.due, "department__code": t.department.code} for t in tasks
    ]


def events_after(incident_id: int, after: int) -> list[dict]:
    return [serialize_event(e) for e in IncidentEvent.objects.filter(incident_id=incident_id, seq__gt=after)]
