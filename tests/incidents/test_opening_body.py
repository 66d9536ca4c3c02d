"""The 201 body of an opening is built from what the opening wrote, without reading it back
(issue 11: the 3 a.m. critical path). It must be exactly what a read of the incident shows."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import LineString
from django.db import connection
from django.test.utils import CaptureQueriesContext

from plans import services as plans

from .conftest import SPILL

pytestmark = pytest.mark.django_db


@pytest.fixture
def opened(api_for, duty_officer, river):
    client = api_for(duty_officer)

    def open_(**overrides):
        body = {"title": "罐车侧翻泄漏", "kind": "water", "location": SPILL, **overrides}
        response = client.post("/api/incidents/", body, format="json")
        assert response.status_code == 201, response.content
        created = response.json()
        read = client.get(f"/api/incidents/{created['id']}/")
        assert read.status_code == 200
        return created, read.json()

    return open_


@pytest.mark.parametrize(
    "overrides",
    [
        {},
        {"pollutant": "cod", "mass_kg": 5000, "description": "罐车侧翻"},
        {"pollutant": "cod", "mass_kg": 1, "deaths": 1, "evacuated": 6000},
        {"exercise": True},
        {"kind": "air", "title": "化工厂泄漏"},
    ],
    ids=["no-mass", "with-mass", "impact", "exercise", "air"],
)
def test_the_201_body_is_what_reading_the_incident_shows(opened, overrides):
    created, read = opened(**overrides)
    assert created == read
    if overrides.get("kind") != "air":
        # Without a mass the boundary may be affected: its notices are in the body too.
        expected = {"template", "reporting"} | ({"boundary", "government"} if "mass_kg" not in overrides else set())
        assert {t["source"] for t in created["tasks"]} == expected
        assert created["plan"]["river"] == "hutuo-t" and len(created["activations"]) == 1
        assert created["reporting"]["task"] in [t["id"] for t in created["tasks"]]
    assert created["last_seq"] == len(created["tasks"]) + len(created["activations"]) + 1


def test_a_tributary_spill_offers_the_main_river_plan_in_the_201_body(opened, departments, duty_officer, river):
    # A tributary of hutuo-t with its own approved plan: the trace reaches the confluence, so
    # the body lists hutuo-t's plan among the other plans, as a read does.
    tributary = plans.save_river(
        code="muma-t", name="牧马河", name_en="Muma", geometry=LineString([(112.3, 38.7), (112.3, 38.5)], srid=4326),
        velocity_ms=0.4, flow_m3s=3.0, dispersion_m2s=10.0, outlet=river,
    )  # fmt: skip
    plan = plans.create_plan(river=tributary, title="牧马河一河一策", user=duty_officer)
    plans.save_task_template(plan=plan, department=departments["fire"], text="筑坝", order=1, ack_minutes=10)
    plans.approve_plan(plan, user=duty_officer)
    created, read = opened(location={"type": "Point", "coordinates": [112.3005, 38.65]})
    assert created["river"]["code"] == "muma-t"
    assert [p["river"] for p in created["other_plans"]] == ["hutuo-t"]
    assert created == read


def test_the_201_body_reads_nothing_after_the_commit_but_the_board_push(api_for, duty_officer, river):
    client = api_for(duty_officer)
    body = {"title": "罐车侧翻泄漏", "kind": "water", "location": SPILL}
    client.post("/api/incidents/", body, format="json")  # the token and permissions are warm
    with CaptureQueriesContext(connection) as queries:
        response = client.post("/api/incidents/", body, format="json")
    assert response.status_code == 201
    sql = [q["sql"] for q in queries.captured_queries]
    after_commit = sql[max(i for i, s in enumerate(sql) if s.startswith("RELEASE SAVEPOINT")) + 1 :]
    # The test's transaction has no real commit: what follows the opening's savepoint is the
    # on-commit work run by the test (none here) and the body; the body reads nothing.
    assert not [s for s in after_commit if "incidents_" in s], after_commit


def test_the_board_push_reads_only_what_the_board_shows(open_water_incident):
    # Every event's push re-reads the incident after the commit (the status callbacks of each
    # SMS too): two queries, none for a field left unread, and the same summary as a full read.
    from backend.incidents.models import Incident
    from backend.incidents.services.events import board_message, board_summary

    created = open_water_incident()
    with CaptureQueriesContext(connection) as queries:
        message = board_message(created["id"])
    assert len(queries) == 2, [q["sql"] for q in queries.captured_queries]
    assert '"plans_river"."geometry"' not in queries.captured_queries[0]["sql"]
    assert '"incidents_incident"."trace"' not in queries.captured_queries[0]["sql"]
    full = Incident.objects.select_related("river").get(pk=created["id"])
    assert message["data"] == board_summary(full)
    assert message["data"]["river"] == "hutuo-t" and message["departments"] == ["environment", "fire", "police"]


@pytest.mark.django_db(transaction=True)
def test_the_board_push_of_an_opening_is_what_a_read_after_the_commit_shows(api_for, duty_officer, river):
    # In its own transaction the opening builds the board push from what it wrote; a socket on
    # the board (the real channel layer) receives exactly what board_message reads back.
    import asyncio

    from asgiref.sync import async_to_sync, sync_to_async
    from channels.layers import get_channel_layer

    from backend.incidents.services.events import BOARD_GROUP, board_message

    client = api_for(duty_officer)
    body = {"title": "罐车侧翻泄漏", "kind": "water", "location": SPILL}

    async def open_and_listen():
        layer = get_channel_layer()
        channel = await layer.new_channel()
        await layer.group_add(BOARD_GROUP, channel)
        try:
            response = await sync_to_async(client.post, thread_sensitive=False)("/api/incidents/", body, format="json")
            return response.json(), await asyncio.wait_for(layer.receive(channel), 10)
        finally:
            await layer.group_discard(BOARD_GROUP, channel)

    created, pushed = async_to_sync(open_and_listen)()
    assert pushed["type"] == "board.incident" and pushed["data"]["id"] == created["id"]
    assert pushed == board_message(created["id"])
    assert pushed["data"]["open_tasks"] == len(created["tasks"]) and pushed["data"]["level"] == created["level"]
