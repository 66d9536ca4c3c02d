"""A small river network with an approved plan, for the incident tests.

hutuo-t flows due east along 38.5° N from 112.0° E to 113.0° E (u 0.5 m/s, Q 20 m³/s, E 30
m²/s). Along it: an emergency space at 112.2° E (set-up 30 min), a county-town drinking-water
intake at 112.5° E (class II), the Shanxi–Hebei boundary at 112.95° E (downstream: ext-hebei).
The plan has three task templates (environment, fire, police).
"""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import LineString, Point

from backend.directory import services as directory
from backend.directory.models import Department
from plans import services as plans


@pytest.fixture
def hebei(departments):
    hebei, _ = Department.objects.get_or_create(
        code="ext-hebei", defaults={"name": "河北省生态环境厅", "name_en": "Hebei DEE", "kind": "external"}
    )
    directory.save_contact(department=hebei, name="曹阳", mobile="13900000077")
    return hebei


@pytest.fixture
def river(departments, hebei, duty_officer):
    plans.seed_pollutants()
    river = plans.save_river(
        code="hutuo-t", name="滹沱河", name_en="Hutuo", geometry=LineString([(112.0, 38.5), (113.0, 38.5)], srid=4326),
        velocity_ms=0.5, flow_m3s=20.0, dispersion_m2s=30.0, outlet=None,
    )  # fmt: skip
    feature = plans.save_feature
    feature(river=river, kind="space", name="石坝", location=Point(112.2, 38.5, srid=4326), space_type="dam",
            capacity_m3=50000, setup_minutes=30)  # fmt: skip
    feature(river=river, kind="receptor", name="县城水源地", location=Point(112.5, 38.5, srid=4326),
            receptor_type="drinking_water", serves="county", water_class="II")  # fmt: skip
    boundary = Point(112.95, 38.5, srid=4326)
    feature(river=river, kind="receptor", name="晋冀交界断面", location=boundary, receptor_type="boundary",
            boundary="province", water_class="III", downstream_jurisdiction=hebei)  # fmt: skip
    plan = plans.create_plan(river=river, title="滹沱河一河一策", user=duty_officer)
    for order, (code, text, ack, done) in enumerate(
        [("environment", "开展应急监测", 10, 60), ("fire", "筑坝拦截", 10, 120), ("police", "现场警戒", 5, 30)], start=1
    ):
        plans.save_task_template(
            plan=plan, department=departments[code], text=text, order=order, ack_minutes=ack, complete_minutes=done
        )
    plans.approve_plan(plan, user=duty_officer)
    return river


SPILL = {"type": "Point", "coordinates": [112.1, 38.5005]}


@pytest.fixture
def open_water_incident(api_for, duty_officer, river):
    def open_(**overrides):
        body = {"title": "罐车侧翻泄漏", "kind": "water", "location": SPILL, "description": "", **overrides}
        response = api_for(duty_officer).post("/api/incidents/", body, format="json")
        assert response.status_code == 201, response.content
        return response.json()

    return open_
