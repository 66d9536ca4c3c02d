"""What the room and the phone card read: the features and rivers a trace names, by id (never
one page of a whole network), and the incident facts on each task."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point

from plans import services as plans
from plans.models import River

pytestmark = pytest.mark.django_db


def test_features_and_rivers_are_read_by_the_ids_the_trace_names(api_for, duty_officer, open_water_incident):
    body = open_water_incident()
    client = api_for(duty_officer)
    detail = client.get(f"/api/incidents/{body['id']}/").json()
    named = sorted({d["id"] for d in detail["trace"]["downstream"] if d["kind"] != "confluence"})
    assert named
    # A feature upstream of the spill: on the river, not in the trace.
    other = plans.save_feature(river=River.objects.get(code="hutuo-t"), kind="receptor", name="上游取水口",
                               location=Point(112.05, 38.5, srid=4326), receptor_type="drinking_water",
                               serves="county", water_class="II")  # fmt: skip
    ids = ",".join(map(str, named))
    page = client.get(f"/api/river-features/?id__in={ids}&page_size=100").json()
    assert sorted(f["id"] for f in page["features"]) == named
    assert other.pk not in {f["id"] for f in page["features"]}
    rivers = client.get(f"/api/rivers/?id__in={detail['trace']['river']['id']}").json()
    assert [r["properties"]["code"] for r in rivers["features"]] == ["hutuo-t"]
    # A bad id list is a 400, never a 500.
    assert client.get("/api/river-features/?id__in=a,b").status_code == 400


def test_a_task_carries_what_where_and_drill(api_for, fire_liaison, open_water_incident):
    body = open_water_incident(exercise=True, pollutant="cod", mass_kg=500)
    tasks = api_for(fire_liaison).get("/api/tasks/?exercise=true").json()["results"]
    info = next(t for t in tasks if t["incident"] == body["id"])["incident_info"]
    assert info["title"] == "罐车侧翻泄漏" and info["exercise"] is True and info["mass_kg"] == 500
    assert info["river"] == "滹沱河" and info["coordinates"] == [112.1, 38.5005]
    assert info["pollutant"] and info["status"] == body["status"]
