"""Alerts fixtures: the SMS sandbox (a local server speaking Twilio's API, driven by the real
`twilio` library), people to alert, and an incident opened at a known time.

The ports and the TWILIO_* / PUBLIC_BASE_URL environment are fixed when this module is
imported, before any subprocess starts: the Celery worker and the ASGI server that the
end-to-end tests use inherit them (PITFALLS: freezegun and in-process settings do not reach
another process).
"""

from __future__ import annotations

import os
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.gis.geos import Point
from twilio.request_validator import RequestValidator

from backend.alerts.sandbox.server import SmsSandbox
from backend.directory import services as directory
from backend.incidents import services as incidents
from tests.drills.conftest import evaluator, make_drill, plan, trainer  # noqa: F401 - fixtures
from tests.incidents.conftest import SPILL, hebei, open_water_incident, river  # noqa: F401 - fixtures
from tests.support.servers import asgi_server, free_port

SANDBOX_PORT = free_port()
APP_PORT = free_port()
ENV = {
    "TWILIO_ACCOUNT_SID": "AC00000000000000000000000000test",
    "TWILIO_AUTH_TOKEN": "test-auth-token-123",
    "TWILIO_FROM": "+15005550006",
    "TWILIO_MESSAGING_SERVICE_SID": "",
    "TWILIO_API_URL": f"http://127.0.0.1:{SANDBOX_PORT}",
    "PUBLIC_BASE_URL": f"http://127.0.0.1:{APP_PORT}",
    "SMS_RATE_PER_SECOND": "50",
}
os.environ.update(ENV)

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture(scope="session")
def sandbox_server():
    server = SmsSandbox(
        port=SANDBOX_PORT,
        account_sid=ENV["TWILIO_ACCOUNT_SID"],
        auth_token=ENV["TWILIO_AUTH_TOKEN"],
        public_base_url=ENV["PUBLIC_BASE_URL"],
        from_number=ENV["TWILIO_FROM"],
        callback_delay=0.05,
        auto_callbacks=False,
    ).start()
    yield server
    server.stop()


@pytest.fixture
def sandbox(sandbox_server, settings):
    """The sandbox, emptied, with this process's settings pointing at it."""
    for name, value in ENV.items():
        setattr(settings, name, float(value) if name == "SMS_RATE_PER_SECOND" else value)
    settings.SMS_MERGE_SECONDS = 60
    settings.SMS_RETRY_BASE_SECONDS = 5
    settings.SMS_MAX_ATTEMPTS = 4
    sandbox_server.reset()
    sandbox_server.auto_callbacks = False
    yield sandbox_server
    sandbox_server.auto_callbacks = False


@pytest.fixture(scope="session")
def app_server(django_db_setup, django_db_blocker, sandbox_server):
    """The ASGI application on PUBLIC_BASE_URL's port, so the sandbox's signed callbacks and
    replies reach a real server on the test database."""
    with asgi_server(port=APP_PORT) as base:
        yield base


def sign(path: str, params: dict) -> str:
    return RequestValidator(ENV["TWILIO_AUTH_TOKEN"]).compute_signature(ENV["PUBLIC_BASE_URL"] + path, params)


@pytest.fixture
def twilio_post(client):
    """twilio_post(path, params, signature=None) → a webhook POST signed like Twilio's."""

    def post(path: str, params: dict, signature: str | None = None):
        signature = sign(path, params) if signature is None else signature
        return client.post(path, params, HTTP_X_TWILIO_SIGNATURE=signature)

    return post


@pytest.fixture
def people(departments, sandbox):
    """Two contacts per responding department (priority 1 on duty, priority 2 next), and the
    bureau's duty leader."""
    made = {}
    numbers = iter(range(13800000001, 13800000099))
    for code in ("environment", "fire", "police"):
        for priority in (1, 2):
            made[f"{code}{priority}"] = directory.save_contact(
                department=departments[code],
                name=f"{code}-{priority}",
                mobile=str(next(numbers)),
                priority=priority,
                duty_role="值班员",
            )
    made["leader"] = directory.save_contact(
        department=departments["environment"], name="局领导", mobile="13800000100", priority=3, duty_role="分管领导"
    )
    return made


@pytest.fixture
def open_incident(river, people, duty_officer):  # noqa: F811 - the imported fixture
    """open_incident(now=T0, exercise=False) → a water incident with plan tasks."""

    def open_(now: datetime = T0, **fields):
        lon, lat = SPILL["coordinates"]
        return incidents.open_incident(
            title=fields.pop("title", "罐车侧翻泄漏"),
            kind="water",
            location=Point(lon, lat, srid=4326),
            occurred_at=now,
            actor=duty_officer,
            now=now,
            **fields,
        )

    return open_
