"""The verbs of drills: the only code that writes drills, injects, evaluations and
improvement items, and the only code in drills that writes incident events. Each is atomic and
takes `now`, so tests (and a worker, which freezegun cannot reach) control the clock."""

from .evaluating import add_observation, overdue_items, rate_task, save_improvement_item
from .planning import (
    cancel_drill,
    delete_drill,
    delete_inject,
    inject_targets,
    lock_drill,
    reschedule_drill,
    save_inject,
    schedule_drill,
    update_drill,
)
from .running import (
    add_adhoc_inject,
    deliver_due_injects,
    deliver_inject_now,
    end_drill,
    pause_drill,
    resume_drill,
    skip_inject,
    start_drill,
    start_due_drills,
    tick,
)

__all__ = [
    "add_adhoc_inject", "add_observation", "cancel_drill", "delete_drill", "delete_inject", "deliver_due_injects",
    "deliver_inject_now", "end_drill", "inject_targets", "lock_drill", "overdue_items", "pause_drill",
    "rate_task", "reschedule_drill", "resume_drill", "save_improvement_item", "save_inject", "schedule_drill",
    "skip_inject", "start_drill", "start_due_drills", "tick", "update_drill",
]  # fmt: skip
