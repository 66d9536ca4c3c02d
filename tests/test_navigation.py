"""Every page has a navigation bar by role; the home page has the 接报 shortcut; a favicon."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def nav_of(html: str) -> str:
    match = re.search(r'<nav class="mainnav".*?</nav>', html, re.S)
    assert match, "no navigation bar"
    return match.group(0)


def test_the_duty_officer_has_the_report_shortcut_on_home_and_in_the_bar(client, duty_officer):
    client.force_login(duty_officer)
    home = client.get("/").content.decode()
    assert 'data-testid="home-report"' in home
    assert 'href="/board/new/"' in home and "接报" in home
    board = client.get("/board/").content.decode()
    bar = nav_of(board)
    assert 'data-testid="nav-report"' in bar
    assert 'href="/board/" class="current" aria-current="page"' in bar
    assert 'href="/plans/"' in bar


def test_a_liaison_sees_the_department_tasks_and_no_report_shortcut(client, fire_liaison):
    client.force_login(fire_liaison)
    page = client.get("/board/department/").content.decode()
    bar = nav_of(page)
    assert "接报" not in bar and "/board/new/" not in bar
    assert 'href="/board/department/" class="current"' in bar
    assert "/admin/" not in bar
    assert 'data-testid="home-report"' not in client.get("/").content.decode()


def test_no_bar_for_anonymous_visitors(client):
    assert "mainnav" not in client.get("/accounts/login/").content.decode()


def test_the_favicon_is_the_apps_own(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg"' in page
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/static/favicon.svg"
