"""Hooks that apps above plans fill in (plans never imports them).

`trace_extensions`: callables `(result, *, pollutant, mass_kg, location, space_locations)` that
add to a trace's answer (`space_locations`: space id → (lon, lat) of the spaces listed), a
registry (backend/registry.py, the one pattern for extension points).
The incidents app registers the treatment (backend/incidents/treatment.py): the quantities of
reagents for the recommended space and the nearest depots, which need inventory, which plans may
not import.
"""

from __future__ import annotations

from collections.abc import Callable

from backend.registry import Registry

trace_extensions: Registry[Callable[..., None]] = Registry("trace extensions")


def extend_trace(result: dict, **context) -> None:
    for extension in trace_extensions.values():
        extension(result, **context)
