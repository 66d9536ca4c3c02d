"""The plans admin writes through the services (docs/architecture.md, "The admin"): an added
river or plan keeps its id, computed fields come from the services."""

from __future__ import annotations

import json

import pytest
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.gis.geos import LineString

from plans import services
from plans.models import ResponsePlan, River
from tests.support.admin_forms import submit

pytestmark = pytest.mark.django_db

LINE = {"type": "LineString", "coordinates": [[112.0, 38.5], [112.5, 38.5]]}


@pytest.fixture
def root(django_user_model, departments):
    return django_user_model.objects.create_superuser("root-plans", password="x-plans-1")


@pytest.fixture
def admin_client(client, root):
    client.force_login(root)
    return client


def test_adding_a_river_in_the_admin_computes_its_length_and_keeps_its_id(admin_client):
    changes = {"code": "admin-river", "name": "测试河", "name_en": "Test", "geometry": json.dumps(LINE)}
    changes |= {"velocity_ms": 0.5, "flow_m3s": 20, "dispersion_m2s": 30}
    response = submit(admin_client, "/admin/plans/river/add/", changes)
    assert response.status_code == 302, response.content.decode()[:3000]
    river = River.objects.get(code="admin-river")
    assert 43000 < river.length_m < 44000  # measured by the service, geodesically
    entry = LogEntry.objects.latest("pk")
    assert (entry.object_id, entry.action_flag) == (str(river.pk), ADDITION)


def test_changing_a_river_in_the_admin_goes_through_the_service(admin_client):
    river = services.save_river(
        code="admin-river", name="测试河", geometry=LineString([(112.0, 38.5), (112.5, 38.5)], srid=4326),
        velocity_ms=0.5, flow_m3s=20.0, dispersion_m2s=30.0,
    )  # fmt: skip
    longer = {"type": "LineString", "coordinates": [[112.0, 38.5], [113.0, 38.5]]}
    response = submit(admin_client, f"/admin/plans/river/{river.pk}/change/", {"geometry": json.dumps(longer)})
    assert response.status_code == 302, response.content.decode()[:3000]
    river.refresh_from_db()
    assert 86000 < river.length_m < 88000  # re-measured by the service


def test_adding_a_plan_in_the_admin_numbers_it_and_keeps_its_id(admin_client, root):
    river = services.save_river(
        code="admin-river", name="测试河", geometry=LineString([(112.0, 38.5), (112.5, 38.5)], srid=4326),
        velocity_ms=0.5, flow_m3s=20.0, dispersion_m2s=30.0,
    )  # fmt: skip
    response = submit(admin_client, "/admin/plans/responseplan/add/", {"river": river.pk, "title": "一河一策"})
    assert response.status_code == 302, response.content.decode()[:3000]
    plan = ResponsePlan.objects.get(river=river)
    assert (plan.version, plan.status, plan.created_by) == (1, ResponsePlan.Status.DRAFT, root)
    assert LogEntry.objects.latest("pk").object_id == str(plan.pk)

    response = submit(admin_client, f"/admin/plans/responseplan/{plan.pk}/change/", {"title": "一河一策（修订）"})
    assert response.status_code == 302, response.content.decode()[:3000]
    plan.refresh_from_db()
    assert plan.title == "一河一策（修订）"


def test_an_approved_plan_is_read_only_in_the_admin(admin_client, root):
    river = services.save_river(
        code="admin-river", name="测试河", geometry=LineString([(112.0, 38.5), (112.5, 38.5)], srid=4326),
        velocity_ms=0.5, flow_m3s=20.0, dispersion_m2s=30.0,
    )  # fmt: skip
    plan = services.create_plan(river=river, title="一河一策", user=root)
    services.approve_plan(plan, user=root)
    response = submit(admin_client, f"/admin/plans/responseplan/{plan.pk}/change/", {"title": "改写"})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.title == "一河一策"
