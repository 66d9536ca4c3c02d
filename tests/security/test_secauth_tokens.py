"""API tokens expire (API_TOKEN_TTL_HOURS) and can be rotated; browser sessions end after
SESSION_IDLE_MINUTES without use (issue #12, item 5)."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from backend.directory import session_idle

pytestmark = pytest.mark.django_db
PASSWORD = "Token-pass-7!"


def with_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def get_token(username: str) -> str:
    response = APIClient().post("/api/auth/token/", {"username": username, "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.content
    return response.json()["token"]


def age(key: str, hours: float) -> None:
    Token.objects.filter(key=key).update(created=timezone.now() - timedelta(hours=hours))


@override_settings(API_TOKEN_TTL_HOURS=24)
def test_an_expired_token_is_refused_with_401(make_user):
    make_user("viewer", username="ttl-user", password=PASSWORD)
    key = get_token("ttl-user")
    assert with_token(key).get("/api/me/").status_code == 200
    age(key, 23)
    assert with_token(key).get("/api/me/").status_code == 200
    age(key, 25)
    response = with_token(key).get("/api/me/")
    assert response.status_code == 401
    assert "过期" in response.json()["detail"]  # Chinese first
    # Asking again hands out a new token that works.
    fresh = get_token("ttl-user")
    assert fresh != key
    assert with_token(fresh).get("/api/me/").status_code == 200


@override_settings(API_TOKEN_TTL_HOURS=0)
def test_a_ttl_of_zero_means_tokens_do_not_expire(make_user):
    make_user("viewer", username="ttl-forever", password=PASSWORD)
    key = get_token("ttl-forever")
    age(key, 24 * 3650)
    assert with_token(key).get("/api/me/").status_code == 200


def test_the_default_ttl_is_720_hours(settings):
    assert settings.API_TOKEN_TTL_HOURS == 720


def test_rotating_replaces_the_token_and_refuses_the_old_one(make_user):
    make_user("viewer", username="rotator", password=PASSWORD)
    old = get_token("rotator")
    response = with_token(old).post("/api/auth/token/rotate/")
    assert response.status_code == 200
    new = response.json()["token"]
    assert set(response.json()) == {"token"} and len(new) == 40 and new != old
    assert with_token(old).get("/api/me/").status_code == 401
    assert with_token(new).get("/api/me/").status_code == 200
    assert get_token("rotator") == new  # the token endpoint hands out the current one


def test_rotating_needs_authentication():
    assert APIClient().post("/api/auth/token/rotate/").status_code == 401


def test_rotate_is_in_the_schema(api_for, viewer):
    assert "/api/auth/token/rotate/" in api_for(viewer).get("/api/schema/").content.decode()


@override_settings(SESSION_IDLE_MINUTES=30)
def test_a_session_unused_longer_than_the_idle_limit_is_logged_out(make_user):
    make_user("viewer", username="idler", password=PASSWORD)
    client = Client()
    assert client.post("/accounts/login/", {"username": "idler", "password": PASSWORD}).status_code == 302
    assert client.get("/").status_code == 200
    session = client.session
    session[session_idle.LAST_USE_KEY] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/").status_code == 200  # 29 minutes: still signed in, and used again now

    session = client.session
    assert session[session_idle.LAST_USE_KEY] >= int(time.time()) - 5
    session[session_idle.LAST_USE_KEY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    assert "_auth_user_id" not in client.session


def test_the_default_idle_limit_is_480_minutes(settings):
    assert settings.SESSION_IDLE_MINUTES == 480


@override_settings(SESSION_IDLE_MINUTES=30)
def test_a_session_never_used_after_login_expires_too(make_user):
    from freezegun import freeze_time

    make_user("viewer", username="idle-at-once", password=PASSWORD)
    client = Client()
    with freeze_time("2026-12-01 08:00:00"):
        assert client.post("/accounts/login/", {"username": "idle-at-once", "password": PASSWORD}).status_code == 302
    with freeze_time("2026-12-01 08:31:00"):
        response = client.get("/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")
