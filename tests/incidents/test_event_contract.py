"""The event contract (docs/events.md): schemas, labels, renderers, the API and the socket
messages; and the log's database guard. The suite-wide conformance check is
tests/support/event_conformance.py."""

from __future__ import annotations

import pytest
from django.db import IntegrityError, transaction

from backend import eventtypes
from backend.eventtypes import EventSchemaError, EventType, integer, string
from backend.incidents import services
from backend.incidents.models import Incident, IncidentEvent
from backend.registry import Registry

OWNERS = {"incidents", "alerts", "inventory", "drills"}


@pytest.fixture
def incident_factory(open_water_incident):
    return lambda: Incident.objects.get(pk=open_water_incident()["id"])


def test_every_type_in_use_is_registered_by_an_app_with_both_labels():
    described = {d["event_type"]: d for d in eventtypes.describe_all()}
    assert {
        "opened", "plan_activated", "level_changed", "status_changed", "task_created", "task_acknowledged",
        "task_started", "task_completed", "task_reassigned", "task_reassign_requested", "note", "sample_recorded",
        "resource_requested", "resource_dispatched", "resource_updated", "sms_status", "closed", "reopened",
        "inject_delivered", "drill_control", "escalated", "impact_updated",
    } <= set(described)  # fmt: skip
    for name, description in described.items():
        assert description["owner"] in OWNERS, name
        labels = description["labels"]
        assert labels["en"] and labels["zh-hans"], name
        assert labels["zh-hans"] != labels["en"], f"{name} has no Chinese label in the catalogue"
        assert description["schema"]["type"] == "object"


def test_a_type_belongs_to_one_app():
    registry = Registry("t", unique_keys=True)
    registry.register("incidents", "note", 1)
    registry.register("incidents", "note", 2)  # ready() again: replaced, not duplicated
    assert registry.values() == [2]
    with pytest.raises(ValueError):
        registry.register("alerts", "note", 3)


def test_the_schema_refuses_what_does_not_match():
    kind = EventType("probe", "Probe", {"n": integer(), "s": string(required=False, nullable=True)}, str)
    assert kind.problems({"n": 1}) == []
    assert kind.problems({"n": 1, "s": None}) == []
    assert kind.problems({}) == ["n: required"]
    assert kind.problems({"n": "1"}) == ["n: expected integer, got str"]
    assert kind.problems({"n": True}) == ["n: expected integer, got boolean"]
    assert kind.problems({"n": 1, "x": 2}) == ["x: not in the schema"]
    with pytest.raises(EventSchemaError):
        eventtypes.validate("no_such_type", {})


def test_every_renderer_gives_one_line_from_a_valid_example():
    examples = {
        "text": "x", "title": "x", "summary": "x", "reason": "x", "department": "fire", "from": "police",
        "to": 2, "level": 2, "suggested": 2, "version": 1, "pollutant": "benzene", "value_mg_l": 0.5,
        "status": "delivered", "contact": "张", "step": 1, "waited_minutes": 5, "action": "start", "number": 1,
        "message": "m", "item": "sandbag", "quantity": 2, "unit": "bag", "depot": "XZ",
    }  # fmt: skip
    for name in eventtypes.EVENT_TYPES.keys():
        line = eventtypes.render(name, examples)
        assert isinstance(line, str) and line and "\n" not in line, name


@pytest.mark.django_db
def test_the_log_refuses_an_event_that_does_not_match_and_the_change_rolls_back(incident_factory):
    incident = incident_factory()
    before = incident.last_seq
    with pytest.raises(EventSchemaError):
        services.append_event(incident.pk, "note", {"text": 42})
    with pytest.raises(EventSchemaError):
        services.append_event(incident.pk, "note", {"text": "ok", "colour": "red"})
    assert Incident.objects.get(pk=incident.pk).last_seq == before
    assert not IncidentEvent.objects.filter(incident=incident, event_type="note").exists()


@pytest.mark.django_db
def test_the_event_table_refuses_update_and_delete(incident_factory):
    incident = incident_factory()
    services.add_note(incident, "原始记录")
    event = IncidentEvent.objects.get(incident=incident, event_type="note")
    with pytest.raises(IntegrityError), transaction.atomic():
        IncidentEvent.objects.filter(pk=event.pk).update(data={"text": "改写"})
    with pytest.raises(IntegrityError), transaction.atomic():
        IncidentEvent.objects.filter(pk=event.pk).delete()
    assert IncidentEvent.objects.get(pk=event.pk).data == {"text": "原始记录"}


@pytest.mark.django_db
def test_get_event_types_lists_schemas_and_labels(api_for, viewer, client):
    assert client.get("/api/event-types/").status_code in (401, 403)
    response = api_for(viewer).get("/api/event-types/")
    assert response.status_code == 200
    by_type = {d["event_type"]: d for d in response.json()}
    note = by_type["note"]
    assert note["owner"] == "incidents"
    assert note["schema"]["properties"] == {"text": {"type": "string"}}
    assert note["schema"]["required"] == ["text"] and note["schema"]["additionalProperties"] is False
    assert note["labels"] == {"zh-hans": "备注", "en": "Note"}
    assert by_type["task_reassigned"]["department_fields"] == ["department", "from"]


@pytest.mark.django_db
def test_the_openapi_schema_documents_the_socket_messages(api_for, viewer):
    schema = api_for(viewer).get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    for name in ("SocketEvent", "SocketIncidentSummary", "SocketTask", "SocketClientMessage", "EventData_note"):
        assert name in components
    assert components["EventData_sms_status"]["properties"]["status"] == {"type": "string"}
    assert "#/components/schemas/SocketTask" in schema["x-websockets"]["/ws/board/"]["sends"]
    assert "/api/event-types/" in schema["paths"]


def test_a_nullable_field_is_described_in_the_openapi_dialect():
    schema = eventtypes.get("plan_activated").json_schema()
    assert schema["properties"]["plan"] == {"type": "integer"}
    opened = eventtypes.get("opened").json_schema()["properties"]
    assert opened["river"]["type"] == "string" and opened["river"]["nullable"] is True
