"""Hooks that apps above inventory fill in (inventory never imports them).

`simulated_dispatch_checks`: callables taking an incident id (or None) that return True when a
dispatch for that incident is a drill's and must not move real stock. The drills app registers
one in its AppConfig.ready() (a drill dispatch is simulated unless the drill is a live stock
exercise).
"""

from __future__ import annotations

from collections.abc import Callable

simulated_dispatch_checks: list[Callable[[int | None], bool]] = []


def is_simulated(incident_id: int | None) -> bool:
    return any(check(incident_id) for check in simulated_dispatch_checks)
