"""Bad input that schema fuzzing sent to the database as a 500 now gets a 400 naming the field (or
a 404 for a path that names no object), and nothing is written (backend/input_guard.py)."""

from __future__ import annotations

import pytest

from backend.directory import roles
from backend.directory.models import Contact
from inventory.models import Depot
from plans.models import River

pytestmark = pytest.mark.django_db

LINE = {"type": "LineString", "coordinates": [[112.0, 38.5], [112.2, 38.5]]}


@pytest.fixture
def admin(make_user, api_for):
    user = make_user(roles.ADMINISTRATOR, username="root-admin")
    user.is_superuser = True
    user.save()
    return api_for(user)


@pytest.mark.parametrize(
    "url, body, field, model",
    [
        ("/api/contacts/", {"department": "fire", "name": "陈\x00磊", "mobile": "13812345678"}, "name", Contact),
        ("/api/rivers/", {"code": "r\x00x", "name": "x", "geometry": LINE}, "code", River),
        (
            "/api/depots/",
            {"code": "D-1", "name": "库", "level": "city", "location": {"type": "Point", "coordinates": [112, 38]},
             "address": "路\x00口"},
            "address",
            Depot,
        ),
    ],
)  # fmt: skip
def test_a_nul_character_is_a_400_naming_the_field_and_nothing_is_written(admin, url, body, field, model):
    before = model.objects.count()
    response = admin.post(url, body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json() and "NUL" in response.json()[field][0]  # 不能包含 NUL 字符
    assert model.objects.count() == before


def test_a_nested_nul_names_its_path(admin):
    response = admin.post(
        "/api/rivers/", {"code": "r1", "name": "x", "geometry": {"type": "LineString", "coordinates": ["a\x00"]}},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400 and "geometry.coordinates[0]" in response.json()


def test_a_body_that_is_not_an_object_is_a_400(admin):
    for body in ([1, 2], "text", 3):
        response = admin.post("/api/contacts/", body, format="json")
        assert response.status_code == 400, (body, response.content)
        assert "non_field_errors" in response.json()


def test_an_integer_beyond_64_bits_is_a_400_naming_the_field(admin):
    response = admin.post("/api/contacts/", {"department": "fire", "name": "x", "priority": 10**20}, format="json")
    assert response.status_code == 400 and "priority" in response.json()


def test_a_utc_offset_postgresql_refuses_is_a_400_naming_the_field(admin):
    response = admin.post(
        "/api/shifts/", {"contact": 1, "start": "6578-02-18T11:20:43+18:03", "end": "6578-02-19T11:20:43+08:00"},
        format="json",
    )  # fmt: skip
    assert response.status_code == 400 and "start" in response.json()


@pytest.mark.parametrize(
    "path", ["/api/tasks/null,null/acknowledge/", "/api/tasks/false/start/", "/api/rivers/null/", "/api/depots/1e5/"]
)
def test_a_path_id_that_is_not_a_number_is_a_404(admin, path):
    response = admin.post(path, {}, format="json") if "/api/tasks/" in path else admin.get(path)
    assert response.status_code == 404


@pytest.mark.parametrize(
    "url, parameter",
    [
        ("/api/tasks/?incident=null", "incident"),
        ("/api/improvement-items/?drill=null", "drill"),
        ("/api/movements/?until=6578-02-18T11:20:43.562445%2B18:03", "until"),
        ("/api/tasks/?department=fire&department=police", "department"),
        ("/api/rivers/?code=a%00b", "code"),
    ],
)
def test_bad_query_parameters_are_a_400_naming_the_parameter(admin, url, parameter):
    response = admin.get(url)
    assert response.status_code == 400, response.content
    assert parameter in response.json()


def test_a_database_error_that_slips_through_is_a_400_without_the_databases_text(rf):
    from django.db import DataError

    from backend.input_guard import answer_for

    request = rf.get("/api/movements/?incident=99999999999999999999999")
    status, body = answer_for(DataError("bigint out of range in relation inventory_movement"), request)
    assert status == 400 and list(body) == ["incident"] and "inventory" not in str(body)
    status, body = answer_for(DataError('invalid input syntax for type uuid: "x"'), rf.get("/api/movements/"))
    assert status == 400 and "uuid" not in str(body) and "detail" in body
