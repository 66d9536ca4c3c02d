"""Hooks that apps above inventory fill in (inventory never imports them).

`simulated_dispatch_checks`: callables taking an incident id (or None) that return True when a
dispatch for that incident is a drill's and must not move real stock. The drills app registers
one from its AppConfig.ready() (a drill dispatch is simulated unless the drill is a live stock
exercise). Both are registries (backend/registry.py), the one pattern for extension points.

`incident_exists_checks`: callables taking an incident id that return True when an incident
with that id exists, keyed by the registering app's label (so a second ready() replaces rather
than duplicates). The incidents app registers one from its AppConfig.ready(). Inventory alone
cannot tell, so with no checker registered every id is accepted.
"""

from __future__ import annotations

from collections.abc import Callable

from backend.registry import Registry

simulated_dispatch_checks: Registry[Callable[[int | None], bool]] = Registry("simulated dispatch checks")

# Keyed by the registering app's label (register(label, label, check)).
incident_exists_checks: Registry[Callable[[int], bool]] = Registry("incident exists checks")


def is_simulated(incident_id: int | None) -> bool:
    return any(check(incident_id) for check in simulated_dispatch_checks.values())


def incident_exists(incident_id: int | None) -> bool:
    """False only when a checker is registered and none of them knows the incident."""
    if incident_id is None or not incident_exists_checks:
        return True
    return any(check(incident_id) for check in incident_exists_checks.values())
