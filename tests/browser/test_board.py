"""Two people, two browsers: a duty officer opens an incident, the fire liaison sees the new
task appear without reloading and acknowledges it, and the officer's incident room shows the
acknowledgement within a second."""

from __future__ import annotations

import time

import pytest

from backend.incidents.models import Incident, Task
from tests.incidents.conftest import hebei, river  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Demo!2026"


def login(browser, base, username):
    context = browser.new_context()
    page = context.new_page()
    page.on("console", lambda m: print("CONSOLE", username, m.type, m.text))
    page.on("pageerror", lambda e: print("PAGEERROR", username, e))
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("text=您的角色")
    return context, page


def test_an_incident_opened_by_the_officer_reaches_the_liaison_live(browser, live_asgi, make_user, river):  # noqa: F811
    make_user("duty_officer", "environment", username="duty", password=PASSWORD)
    make_user("liaison", "fire", username="liaison-fire", password=PASSWORD)
    officer_context, officer = login(browser, live_asgi, "duty")
    liaison_context, liaison = login(browser, live_asgi, "liaison-fire")
    try:
        liaison.goto(f"{live_asgi}/board/department/")
        liaison.wait_for_selector("#live-state.online")
        assert liaison.locator("article.task").count() == 0

        officer.goto(f"{live_asgi}/board/new/")
        officer.fill("input[name=title]", "罐车侧翻苯酚泄漏")
        officer.select_option("select[name=kind]", "water")
        officer.fill("input[name=coordinates]", "112.1, 38.5005")
        officer.click("button[type=submit].primary")
        officer.wait_for_url("**/board/incidents/*/")
        officer.wait_for_selector("#live-state.online")
        incident = Incident.objects.get()
        fire_task = Task.objects.get(incident=incident, department__code="fire")
        officer.wait_for_selector(f".task-cell[data-task='{fire_task.pk}'] .pill.status-pending")

        # The liaison never reloads: the task arrives over the socket.
        card = liaison.wait_for_selector(f"article.task[data-task='{fire_task.pk}']", timeout=5000)
        assert "筑坝拦截" in card.inner_text()
        card.query_selector("button[data-action=acknowledge]").click()
        started = time.monotonic()
        officer.wait_for_selector(f".task-cell[data-task='{fire_task.pk}'] .pill.status-acknowledged", timeout=1000)
        assert time.monotonic() - started < 1.0
        fire_task.refresh_from_db()
        assert fire_task.acknowledged_by and fire_task.status == "acknowledged"
        assert officer.locator("#timeline li[data-type=task_acknowledged]").count() == 1
    finally:
        officer_context.close()
        liaison_context.close()
