"""Issue #12, item 11: /healthz keeps its keys and `ok` flags for anyone (load balancers), but
error text and worker host names only for authenticated users."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def redis_down(settings):
    # Never stop the shared Redis: point the checks at a port where nothing listens.
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    settings.HEALTHZ_TIMEOUT_SECONDS = 0.5


def test_anonymous_callers_get_the_flags_without_error_text(client, redis_down):
    response = client.get("/healthz")
    body = response.json()
    assert response.status_code == 503 and body["status"] == "unavailable"
    assert set(body) >= {"status", "database", "redis", "celery"}
    assert body["database"]["ok"] is True and body["redis"]["ok"] is False and body["celery"]["ok"] is False
    text = response.content.decode()
    assert "Connection" not in text and "127.0.0.1" not in text and "postgis" not in text.lower()
    assert body["redis"]["detail"] == "unavailable" and body["database"]["detail"] == "ok"


def test_signed_in_users_get_the_error_text(client, redis_down, viewer, api_for):
    client.force_login(viewer)
    body = client.get("/healthz").json()
    assert "Connection" in body["redis"]["detail"]
    assert body["database"]["detail"].startswith("postgis")
    by_token = api_for(viewer).get("/healthz").json()
    assert "Connection" in by_token["redis"]["detail"]


def test_a_bad_token_is_just_anonymous(redis_down, departments):
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["redis"]["detail"] == "unavailable"
