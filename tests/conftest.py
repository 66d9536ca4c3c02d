"""Shared fixtures: roles, the standard departments, and named personas.

Reference data is created here (not by data migrations) because transactional tests flush
every table after each test (see docs/operations.md, "Traps").
"""

from __future__ import annotations

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from backend.directory import roles, services
from backend.directory.models import Department

# Every event any test writes is checked against its schema (docs/events.md).
pytest_plugins = ["tests.support.event_conformance"]

STANDARD_DEPARTMENTS = [
    ("environment", "忻州市生态环境局", "Xinzhou Ecology and Environment Bureau"),
    ("police", "忻州市公安局", "Xinzhou Public Security Bureau"),
    ("fire", "忻州市消防救援支队", "Xinzhou Fire and Rescue Detachment"),
    ("emergency", "忻州市应急管理局", "Xinzhou Emergency Management Bureau"),
    ("transport", "忻州市交通运输局", "Xinzhou Transport Bureau"),
    ("water", "忻州市水利局", "Xinzhou Water Resources Bureau"),
    ("meteorology", "忻州市气象局", "Xinzhou Meteorological Bureau"),
]


@pytest.fixture
def role_groups(db):
    roles.sync_roles()


@pytest.fixture
def departments(db) -> dict[str, Department]:
    made = {}
    for order, (code, name, name_en) in enumerate(STANDARD_DEPARTMENTS):
        made[code], _ = Department.objects.get_or_create(
            code=code,
            defaults={"name": name, "name_en": name_en, "is_coordinator": code == "environment", "sort_order": order},
        )
    return made


@pytest.fixture
def make_user(role_groups, departments):
    """make_user("liaison", "fire") → a user with that role (and department)."""

    def make(role: str, department: str | None = None, username: str | None = None, password: str = "pw-123456!"):
        return services.ensure_user(
            username=username or f"{role}-{department or 'x'}",
            password=password,
            role=role,
            department=departments[department] if department else None,
        )

    return make


@pytest.fixture
def duty_officer(make_user):
    return make_user(roles.DUTY_OFFICER, "environment", username="duty")


@pytest.fixture
def fire_liaison(make_user):
    return make_user(roles.LIAISON, "fire", username="liaison-fire")


@pytest.fixture
def viewer(make_user):
    return make_user(roles.VIEWER, username="viewer")


@pytest.fixture
def api_for():
    """api_for(user) → an APIClient authenticated with that user's token."""

    def make(user) -> APIClient:
        client = APIClient()
        token, _ = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return make


@pytest.fixture(scope="session")
def live_asgi(django_db_setup, django_db_blocker):
    """Base URL of a real ASGI server (uvicorn) on the test database, for the whole session."""
    from tests.support.servers import asgi_server

    with asgi_server() as base:
        yield base


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup):
    """A real Celery worker process consuming the test queue."""
    from tests.support.servers import celery_worker

    with celery_worker() as proc:
        yield proc
