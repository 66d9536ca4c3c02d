"""Hooks that apps above inventory fill in (inventory never imports them).

`simulated_dispatch_checks`: callables taking an incident id (or None) that return True when a
dispatch for that incident is a drill's and must not move real stock. The drills app registers
one in its AppConfig.ready() (a drill dispatch is simulated unless the drill is a live stock
exercise).

`incident_exists_checks`: callables taking an incident id that return True when an incident
with that id exists, keyed by the registering app's label (so a second ready() replaces rather
than duplicates). The incidents app registers one in its AppConfig.ready(). Inventory alone
cannot tell, so with no checker registered every id is accepted.
"""

from __future__ import annotations

from collections.abc import Callable

simulated_dispatch_checks: list[Callable[[int | None], bool]] = []

incident_exists_checks: dict[str, Callable[[int], bool]] = {}


def is_simulated(incident_id: int | None) -> bool:
    return any(check(incident_id) for check in simulated_dispatch_checks)


def incident_exists(incident_id: int | None) -> bool:
    """False only when a checker is registered and none of them knows the incident."""
    if incident_id is None or not incident_exists_checks:
        return True
    return any(check(incident_id) for check in incident_exists_checks.values())
