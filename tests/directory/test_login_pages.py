"""Login and logout pages: logging out takes a POST (a stray GET cannot log anyone out), and a
GET of the logout address asks to confirm instead of failing."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_login_logout_round_trip(client, make_user):
    make_user("viewer", username="watcher", password="Pw-login-1!")
    page = client.get("/accounts/login/")
    assert page.status_code == 200 and "登录" in page.content.decode()
    assert client.post("/accounts/login/", {"username": "watcher", "password": "Pw-login-1!"}).status_code == 302
    assert client.get("/").status_code == 200

    confirm = client.get("/accounts/logout/")
    assert confirm.status_code == 200 and "退出登录？" in confirm.content.decode()
    assert client.get("/").status_code == 200  # the GET logged nobody out

    done = client.post("/accounts/logout/")
    assert done.status_code == 302 and done.url == "/accounts/login/"
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # back to the login page
