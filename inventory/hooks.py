"""Hooks that apps above inventory fill in (inventory never imports them).

`simulated_dispatch_checks`: callables taking an incident id (or None) that return True when a
dispatch for that incident is a drill's and must not move real stock. The drills app registers
one from its AppConfig.ready() (a drill dispatch is simulated unless the drill is a live stock
exercise). Both are registries (backend/registry.py), the one pattern for extension points.

`incident_exists_checks`: callables taking an incident id that return True when an incident
with that id exists, keyed by the registering app's label (so a second ready() replaces rather
than duplicates). The incidents app registers one from its AppConfig.ready(). Inventory alone
cannot tell, so with no checker registered every id is accepted.

`incident_label_sources`: callables taking a list of incident ids and returning
{id: {"short_code", "title", "exercise", "url"}} for those they know, keyed by the registering
app's label. The incidents app registers one, so the depot pages name an incident by its code
and title instead of a bare number.
"""

from __future__ import annotations

from collections.abc import Callable

from backend.registry import Registry

simulated_dispatch_checks: Registry[Callable[[int | None], bool]] = Registry("simulated dispatch checks")

# Keyed by the registering app's label (register(label, label, check)).
incident_exists_checks: Registry[Callable[[int], bool]] = Registry("incident exists checks")


incident_label_sources: Registry[Callable[[list[int]], dict[int, dict]]] = Registry("incident label sources")


def is_simulated(incident_id: int | None) -> bool:
    return any(check(incident_id) for check in simulated_dispatch_checks.values())


def incident_exists(incident_id: int | None) -> bool:
    """False only when a checker is registered and none of them knows the incident."""
    if incident_id is None or not incident_exists_checks:
        return True
    return any(check(incident_id) for check in incident_exists_checks.values())


def incident_labels(incident_ids) -> dict[int, dict]:
    """{id: {"short_code", "title", "exercise", "url"}} for the ids some registered source knows."""
    ids = sorted({pk for pk in incident_ids if pk is not None})
    found: dict[int, dict] = {}
    if ids:
        for source in incident_label_sources.values():
            found.update(source(ids))
    return found
