"""Supplies requested from the board reach the incident's timeline (inventory announces,
incidents listens): request → approve → dispatch each become an event."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point

from backend.incidents.models import IncidentEvent
from inventory import services as inventory

pytestmark = pytest.mark.django_db(transaction=True)


def test_each_dispatch_step_is_an_event_on_the_incident(api_for, duty_officer, make_user, open_water_incident):
    body = open_water_incident()
    sandbag = inventory.save_item(
        code="sandbag", name="编织袋", name_en="Sandbag", category="source_cutoff", unit="bag", consumable=True
    )
    depot = inventory.save_depot(
        code="XZ-CITY-01", name="市级库", level="city", location=Point(112.73, 38.42, srid=4326)
    )
    manager = make_user("depot_manager", username="depot")
    depot.managers.add(manager)
    inventory.receive(depot=depot, item=sandbag, quantity=500, lot="L1")

    client = api_for(duty_officer)
    nearest = client.get("/api/depots/nearest/?lon=112.1&lat=38.5&item=sandbag&quantity=200").json()
    assert nearest[0]["depot"] == "XZ-CITY-01" and nearest[0]["partial"] is False
    created = client.post(
        "/api/dispatches/", {"incident": body["id"], "depot": "XZ-CITY-01", "item": "sandbag", "quantity": 200},
        format="json",
    )  # fmt: skip
    assert created.status_code == 201, created.content
    dispatch_id = created.json()["id"]
    assert client.post(f"/api/dispatches/{dispatch_id}/approve/").status_code == 200
    assert api_for(manager).post(f"/api/dispatches/{dispatch_id}/dispatch/").status_code == 200

    events = IncidentEvent.objects.filter(incident_id=body["id"], event_type__startswith="resource_")
    assert [(e.event_type, e.data["step"]) for e in events] == [
        ("resource_requested", "requested"),
        ("resource_updated", "approved"),
        ("resource_dispatched", "dispatched"),
    ]
    seqs = list(IncidentEvent.objects.filter(incident_id=body["id"]).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
