"""The event contract: every incident event type has a schema, a label in both languages and a
one-line renderer, registered by the app that owns it (docs/events.md).

An app declares its types in its own `events.py` as a list of EventType and registers them from
its AppConfig.ready() with `register(app_label, TYPES)`. The log (backend/incidents/services/
events.py) validates every event against its type before writing it, so a reader of the log (the
board, SMS, reports, drill scores, an outside client) can rely on the fields below.

This module is part of the project, not an app: every app may import it (inventory too, which
may not import incidents).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import translation

from backend.registry import Registry

JSON_TYPES = {
    "string": (str,),
    "integer": (int,),
    "number": (int, float),
    "boolean": (bool,),
    "object": (dict,),
    "array": (list, tuple),
    "datetime": (str,),  # ISO 8601 with offset
}


@dataclass(frozen=True)
class Field:
    type: str
    required: bool = True
    nullable: bool = False
    help: str = ""
    choices: tuple = ()

    def __post_init__(self):
        if self.type not in JSON_TYPES:
            raise ValueError(f"unknown field type {self.type!r}")

    def check(self, name: str, value) -> str | None:
        """The problem with `value`, or None."""
        if value is None:
            return None if self.nullable else f"{name}: null is not allowed"
        allowed = JSON_TYPES[self.type]
        # bool is an int in Python, but not an integer or a number in JSON.
        if isinstance(value, bool) and self.type != "boolean":
            return f"{name}: expected {self.type}, got boolean"
        if not isinstance(value, allowed):
            return f"{name}: expected {self.type}, got {type(value).__name__}"
        if self.type == "datetime":
            try:
                parsed = dt.datetime.fromisoformat(value)
            except ValueError:
                return f"{name}: expected an ISO 8601 time, got {value!r}"
            if parsed.tzinfo is None:
                return f"{name}: a time needs its UTC offset"
        if self.choices and value not in self.choices:
            return f"{name}: {value!r} is not one of {list(self.choices)}"
        return None

    def json_schema(self) -> dict:
        schema: dict = {"type": "string", "format": "date-time"} if self.type == "datetime" else {"type": self.type}
        if self.nullable:
            schema["nullable"] = True  # OpenAPI 3.0's schema dialect (the API's schema is 3.0.3)
        if self.choices:
            schema["enum"] = list(self.choices) + ([None] if self.nullable else [])
        if self.help:
            schema["description"] = self.help
        return schema


def string(**kw) -> Field:
    return Field("string", **kw)


def integer(**kw) -> Field:
    return Field("integer", **kw)


def number(**kw) -> Field:
    return Field("number", **kw)


def boolean(**kw) -> Field:
    return Field("boolean", **kw)


def obj(**kw) -> Field:
    return Field("object", **kw)


def array(**kw) -> Field:
    return Field("array", **kw)


def when(**kw) -> Field:
    return Field("datetime", **kw)


@dataclass(frozen=True)
class EventType:
    """`label` is a lazy translation (English msgid, Chinese in the catalogue); `render(data)`
    returns one line for timelines and reports in the active language. `open=True` lets the
    writer add keys beyond `fields` (for types whose producers attach extra context)."""

    name: str
    label: object
    fields: dict[str, Field]
    render: Callable[[dict], str]
    open: bool = False
    description: str = ""
    # Data fields holding department codes whose task page follows this type (task events:
    # ("department",), a reassignment also ("from",)): pushed to those departments' sockets.
    department_fields: tuple[str, ...] = ()
    owner: str = field(default="", compare=False)

    def problems(self, data) -> list[str]:
        if not isinstance(data, dict):
            return ["data must be an object"]
        problems = []
        for name, spec in self.fields.items():
            if name not in data:
                if spec.required:
                    problems.append(f"{name}: required")
                continue
            problem = spec.check(name, data[name])
            if problem:
                problems.append(problem)
        if not self.open:
            problems += [f"{name}: not in the schema" for name in sorted(set(data) - set(self.fields))]
        return problems

    def json_schema(self) -> dict:
        return {
            "type": "object",
            "properties": {name: spec.json_schema() for name, spec in self.fields.items()},
            "required": [name for name, spec in self.fields.items() if spec.required],
            "additionalProperties": self.open,
        }

    def labels(self) -> dict[str, str]:
        out = {}
        for language in ("zh-hans", "en"):
            with translation.override(language):
                out[language] = str(self.label)
        return out

    def line(self, data: dict) -> str:
        """The renderer, never failing a page: an old event missing a key still gets its label."""
        try:
            return self.render(data)
        except (KeyError, TypeError, ValueError):
            return str(self.label)


class EventSchemaError(ValueError):
    """An event that does not match its type's schema (a programming error, never user input)."""


EVENT_TYPES: Registry[EventType] = Registry("event types", unique_keys=True)


def register(owner: str, types: Iterable[EventType]) -> None:
    """Called from the owning app's AppConfig.ready()."""
    for event_type in types:
        object.__setattr__(event_type, "owner", owner)
        EVENT_TYPES.register(owner, event_type.name, event_type)


def get(name: str) -> EventType:
    event_type = EVENT_TYPES.get(name)
    if event_type is None:
        raise EventSchemaError(f"unknown event type {name!r}")
    return event_type


def validate(name: str, data) -> EventType:
    event_type = get(name)
    problems = event_type.problems(data)
    if problems:
        raise EventSchemaError(f"event {name!r} does not match its schema: " + "; ".join(problems))
    return event_type


def render(name: str, data: dict) -> str:
    event_type = EVENT_TYPES.get(name)
    return event_type.line(data) if event_type else name


def describe_all() -> list[dict]:
    """What GET /api/event-types/ lists (each `schema` an OpenAPI 3.0 schema object)."""
    return [
        {
            "event_type": t.name,
            "owner": t.owner,
            "labels": t.labels(),
            "description": t.description,
            "department_fields": list(t.department_fields),
            "schema": t.json_schema(),
        }
        for t in sorted(EVENT_TYPES.values(), key=lambda t: (t.owner, t.name))
    ]
