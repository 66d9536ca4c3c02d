"""The verbs of incidents: the only code that writes incidents, tasks, samples and events."""

from .assignments import (
    acknowledge_task,
    add_task,
    complete_task,
    reassign_task,
    request_reassign,
    shift_open_deadlines,
    start_task,
)
from .events import board_summary, events_after, lock_incident, record, serialize_event
from .intakes import set_intake
from .issuing import issue_report
from .lifecycle import (
    add_note,
    append_event,
    change_level,
    change_status,
    close_incident,
    record_sample,
    reopen_incident,
    update_impact,
)
from .opening import activate_plan, create_task, open_incident, task_data
from .reporting import declare_trigger, record_delivery, retime_reporting

__all__ = [
    "acknowledge_task", "activate_plan", "add_note", "add_task", "append_event", "board_summary", "change_level",
    "change_status", "close_incident", "complete_task", "create_task", "events_after", "lock_incident",
    "open_incident", "reassign_task", "record", "record_sample", "reopen_incident", "request_reassign",
    "serialize_event", "shift_open_deadlines", "start_task", "task_data", "update_impact",
    "declare_trigger", "issue_report", "record_delivery", "retime_reporting", "set_intake",
]  # fmt: skip
