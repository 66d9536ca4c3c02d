"""Password guessing (issue #12, item 5): lockout on the login page, the admin and the token
endpoint; the client address behind a proxy; API throttles. The test settings switch lockout
and throttles off; these tests switch them on."""

from __future__ import annotations

import uuid

import pytest
from django.test import Client, override_settings
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

LOCKOUT = {"LOGIN_FAILURE_LIMIT": 3, "LOGIN_COOLOFF_MINUTES": 15}
PASSWORD = "Right-pass-9!"


@pytest.fixture
def person(make_user):
    # The counters live in the shared Redis: a fresh username per test keeps tests apart.
    return make_user("viewer", username=f"guess-{uuid.uuid4().hex[:10]}", password=PASSWORD)


def token_post(username, password, address="10.0.0.1", **extra):
    return APIClient().post(
        "/api/auth/token/", {"username": username, "password": password}, format="json", REMOTE_ADDR=address, **extra
    )


@override_settings(**LOCKOUT)
def test_the_token_endpoint_locks_a_username_and_address_after_the_limit(person):
    for _ in range(2):
        assert token_post(person.username, "wrong").status_code == 400
    third = token_post(person.username, "wrong")
    assert third.status_code == 429
    assert "锁定" in third.json()["detail"] and "locked" in third.json()["detail"]  # zh, and en for programs
    assert third.json()["code"] == "locked_out"
    # Now even the right password is refused, from that address...
    refused = token_post(person.username, PASSWORD)
    assert refused.status_code == 429 and "token" not in refused.json()
    # ...but not from another one (below the username's total of 3 × 3).
    assert token_post(person.username, PASSWORD, address="10.0.0.2").status_code == 200


@override_settings(**LOCKOUT)
def test_a_username_is_locked_from_every_address_after_three_times_the_limit(person):
    for i in range(9):  # 2 per address never reaches the per-address limit of 3
        token_post(person.username, "wrong", address=f"10.1.0.{i // 2}")
    response = token_post(person.username, PASSWORD, address="10.9.9.9")
    assert response.status_code == 429


@override_settings(LOGIN_FAILURE_LIMIT=3, LOGIN_COOLOFF_MINUTES=0.02)
def test_the_lockout_ends_after_the_cooloff(person):
    import time

    for _ in range(3):
        token_post(person.username, "wrong")
    assert token_post(person.username, PASSWORD).status_code == 429
    time.sleep(2.2)
    assert token_post(person.username, PASSWORD).status_code == 200


def test_the_test_settings_have_no_lockout(person):
    for _ in range(10):
        token_post(person.username, "wrong")
    assert token_post(person.username, PASSWORD).status_code == 200


@override_settings(**LOCKOUT)
def test_the_login_page_says_the_account_is_locked(person):
    client = Client(REMOTE_ADDR="10.0.0.7")
    for _ in range(3):
        page = client.post("/accounts/login/", {"username": person.username, "password": "wrong"})
    assert page.status_code == 429
    assert "锁定" in page.content.decode()
    page = client.post("/accounts/login/", {"username": person.username, "password": PASSWORD})
    assert page.status_code == 429 and "_auth_user_id" not in client.session

    english = Client(REMOTE_ADDR="10.0.0.7")
    english.cookies["django_language"] = "en"
    page = english.post("/accounts/login/", {"username": person.username, "password": PASSWORD})
    assert "locked" in page.content.decode()


@override_settings(**LOCKOUT)
def test_the_admin_login_is_locked_too(make_user):
    admin_user = make_user("administrator", username=f"adm-{uuid.uuid4().hex[:8]}", password=PASSWORD)
    client = Client(REMOTE_ADDR="10.0.0.8")
    for _ in range(3):
        client.post("/admin/login/?next=/admin/", {"username": admin_user.username, "password": "wrong"})
    page = client.post("/admin/login/?next=/admin/", {"username": admin_user.username, "password": PASSWORD})
    assert page.status_code == 200 and "锁定" in page.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(**LOCKOUT, TRUSTED_PROXIES=["192.168.0.10"])
def test_x_forwarded_for_counts_only_from_a_trusted_proxy(person):
    # An untrusted peer cannot dodge the lockout by inventing an address per attempt.
    for i in range(3):
        token_post(person.username, "wrong", address="10.2.0.1", HTTP_X_FORWARDED_FOR=f"1.1.1.{i}")
    assert token_post(person.username, PASSWORD, address="10.2.0.1", HTTP_X_FORWARDED_FOR="1.1.1.99").status_code == 429
    # Behind the trusted proxy each client is told apart by the header.
    for _ in range(3):
        token_post(person.username, "wrong", address="192.168.0.10", HTTP_X_FORWARDED_FOR="evil, 172.16.0.5")
    locked = token_post(person.username, PASSWORD, address="192.168.0.10", HTTP_X_FORWARDED_FOR="172.16.0.5")
    assert locked.status_code == 429
    other = token_post(person.username, PASSWORD, address="192.168.0.10", HTTP_X_FORWARDED_FOR="172.16.0.6")
    assert other.status_code == 200


@override_settings(API_THROTTLE_ANON="3/min")
def test_anonymous_api_calls_are_throttled():
    # The one API endpoint open to anonymous callers is the token endpoint (others answer 401
    # before throttling). The lockout is off here: the throttle alone stops the guesser.
    address = f"10.3.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"
    statuses = [token_post("nobody", "wrong", address=address).status_code for _ in range(4)]
    assert statuses == [400, 400, 400, 429]
    assert "detail" in token_post("nobody", "wrong", address=address).json()


@override_settings(API_THROTTLE_USER="2/min")
def test_signed_in_api_calls_are_throttled_per_user(api_for, make_user):
    user = make_user("viewer", username=f"busy-{uuid.uuid4().hex[:8]}")
    client = api_for(user)
    assert [client.get("/api/me/").status_code for _ in range(3)] == [200, 200, 429]


@override_settings(**LOCKOUT)
def test_the_cooloff_follows_the_applications_clock(person):
    # A test (or an operator's clock) moving time forward ends the lock: the cache's own expiry
    # only cleans up.
    from freezegun import freeze_time

    with freeze_time("2026-12-01 08:00:00"):
        for _ in range(3):
            token_post(person.username, "wrong")
        assert token_post(person.username, PASSWORD).status_code == 429
    with freeze_time("2026-12-01 08:14:00"):
        assert token_post(person.username, PASSWORD).status_code == 429
    with freeze_time("2026-12-01 08:16:00"):
        assert token_post(person.username, PASSWORD).status_code == 200
        # and counting starts again from zero
        token_post(person.username, "wrong")
        assert token_post(person.username, PASSWORD).status_code == 200
