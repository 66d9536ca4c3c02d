"""The WebSocket messages in the OpenAPI schema (drf-spectacular postprocessing hook, set in
settings SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"]).

OpenAPI has no words for sockets, so the messages are components (`Socket*` schemas, one
`EventData_<type>` per event type) and the top-level `x-websockets` lists each socket's URL and
which components it sends and receives. docs/events.md explains them in prose.
"""

from __future__ import annotations

from backend import eventtypes

EVENT_FIELDS = {
    "seq": {"type": "integer", "description": "per-incident, gapless, from 1"},
    "event_type": {"type": "string"},
    "at": {"type": "string", "format": "date-time"},
    "actor": {"type": "string", "nullable": True, "description": "display name of who acted"},
    "data": {"type": "object", "description": "matches the type's schema (EventData_<type>)"},
}

COMPONENTS = {
    "EventTypeDescription": {
        "type": "object",
        "properties": {
            "event_type": {"type": "string"},
            "owner": {"type": "string", "description": "the app that owns the type"},
            "labels": {"type": "object", "properties": {"zh-hans": {"type": "string"}, "en": {"type": "string"}}},
            "description": {"type": "string"},
            "department_fields": {"type": "array", "items": {"type": "string"}},
            "schema": {"type": "object", "description": "JSON Schema of the event's data"},
        },
        "required": ["event_type", "owner", "labels", "schema"],
    },
    "SocketEvent": {
        "type": "object",
        "description": "/ws/incidents/{id}/ → client: one event of the incident's log",
        "properties": {"type": {"type": "string", "enum": ["event"]}, **EVENT_FIELDS},
        "required": ["type", "seq", "event_type", "at", "actor", "data"],
    },
    "SocketIncidentSummary": {
        "type": "object",
        "description": "/ws/board/ → client: an open incident's summary, on connect and on every change",
        "properties": {
            "type": {"type": "string", "enum": ["incident"]},
            "data": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "short_code": {"type": "string"},
                    "title": {"type": "string"},
                    "level": {"type": "integer"},
                    "status": {"type": "string"},
                    "exercise": {"type": "boolean"},
                    "river": {"type": "string", "nullable": True},
                    "open_tasks": {"type": "integer"},
                    "overdue_tasks": {"type": "integer"},
                    "updated_at": {"type": "string", "format": "date-time"},
                    "reported_at": {"type": "string", "format": "date-time"},
                },
            },
        },
        "required": ["type", "data"],
    },
    "SocketTask": {
        "type": "object",
        "description": "/ws/board/ → client, after {type: tasks}: a task event of the followed department",
        "properties": {
            "type": {"type": "string", "enum": ["task"]},
            "incident": {
                "type": "object",
                "properties": {
                    "id": {"type": "integer"},
                    "short_code": {"type": "string"},
                    "title": {"type": "string"},
                    "exercise": {"type": "boolean"},
                },
            },
            **EVENT_FIELDS,
        },
        "required": ["type", "incident", "seq", "event_type", "at", "data"],
    },
    "SocketClientMessage": {
        "type": "object",
        "description": "client → server. auth {token} (without a session; within 5 s); "
        "resume {after} (/ws/incidents/ only); tasks {department?} (/ws/board/ only); ping",
        "properties": {
            "type": {"type": "string", "enum": ["auth", "resume", "tasks", "ping"]},
            "token": {"type": "string"},
            "after": {"type": "integer", "minimum": 0},
            "department": {"type": "string"},
        },
        "required": ["type"],
    },
    "SocketControl": {
        "type": "object",
        "description": "server → client: pong, tasks.subscribed {department}, error {detail}. "
        "Close codes: 4401 not authenticated, 4403 may not see the incident (or none such).",
        "properties": {
            "type": {"type": "string", "enum": ["pong", "tasks.subscribed", "error"]},
            "department": {"type": "string"},
            "detail": {"type": "string"},
        },
        "required": ["type"],
    },
}

SOCKETS = {
    "/ws/incidents/{id}/": {
        "receives": ["SocketClientMessage"],
        "sends": ["SocketEvent", "SocketControl"],
    },
    "/ws/board/": {
        "receives": ["SocketClientMessage"],
        "sends": ["SocketIncidentSummary", "SocketTask", "SocketControl"],
    },
}


def add_socket_messages(result, generator, request, public):
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.update(COMPONENTS)
    for event_type in eventtypes.EVENT_TYPES.values():
        schemas[f"EventData_{event_type.name}"] = {
            **event_type.json_schema(),
            "description": f"data of a {event_type.name!r} event ({event_type.owner})",
        }
    result["x-websockets"] = {
        url: {key: [f"#/components/schemas/{name}" for name in names] for key, names in spec.items()}
        for url, spec in SOCKETS.items()
    }
    return result
