"""Hooks that apps above plans fill in (plans never imports them).

`trace_extensions`: callables `(result, *, pollutant, mass_kg, location, space_locations)` that
add to a trace's answer (`space_locations`: space id → (lon, lat) of the spaces listed), keyed by
the registering app's label (a second ready() replaces rather than duplicates).
The incidents app registers the treatment (backend/incidents/treatment.py): the quantities of
reagents for the recommended space and the nearest depots, which need inventory, which plans may
not import.
"""

from __future__ import annotations

from collections.abc import Callable

trace_extensions: dict[str, Callable[..., None]] = {}


def extend_trace(result: dict, **context) -> None:
    for extension in trace_extensions.values():
        extension(result, **context)
