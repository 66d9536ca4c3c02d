"""A smoke test of the drill pages' scripts in headless Chromium against the real ASGI server:
the controller's console drives a drill, the evaluator rates on the tablet page. (The issue's
liaison-board browser test belongs to the board's owner.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.directory import roles
from drills.models import Drill, Evaluation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Demo!2026"


def _login(browser, base, username):
    context = browser.new_context()
    page = context.new_page()
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("[data-testid=who]")
    return context, page


def test_the_console_runs_a_drill_and_the_evaluator_rates_it(browser, live_asgi, make_user, make_drill):
    trainer = make_user(roles.TRAINER, "environment", username="trainer", password=PASSWORD)
    make_user(roles.EVALUATOR, username="evaluator", password=PASSWORD)
    drill = make_drill(injects=[(0, "fire", "筑坝拦截"), (30, "police", "")], start=timezone.now() + timedelta(hours=2))
    assert drill.trainer == trainer

    context, page = _login(browser, live_asgi, "trainer")
    try:
        page.goto(f"{live_asgi}/drills/{drill.pk}/console/")
        page.wait_for_selector("#injects tbody tr")
        page.click("[data-action=start]")
        page.wait_for_function("() => document.getElementById('status').dataset.status === 'running'")
        page.wait_for_selector("#injects tr.inject-delivered")
        page.click("#injects tr.inject-pending [data-inject=deliver]")
        page.wait_for_function("() => document.querySelectorAll('#injects tr.inject-delivered').length === 2")
        page.fill("#adhoc input[name=from]", "记者")
        page.fill("#adhoc input[name=message]", "媒体问询")
        page.click("#adhoc button[type=submit]")
        page.wait_for_function("() => document.querySelectorAll('#injects tr.inject-delivered').length === 3")
        page.click("[data-action=pause]")
        page.wait_for_function("() => document.getElementById('status').dataset.status === 'paused'")
        page.click("[data-action=resume]")
        page.wait_for_function("() => document.getElementById('status').dataset.status === 'running'")
        page.wait_for_selector("#events li")
    finally:
        context.close()

    context, page = _login(browser, live_asgi, "evaluator")
    try:
        page.goto(f"{live_asgi}/drills/{drill.pk}/evaluate/")
        card = page.locator("form.eval-card").first
        card.locator("label.rating-S").click()
        card.locator("textarea[name=notes]").fill("拦截坝位置犹豫")
        card.locator("button[type=submit]").click()
        card.locator(".saved-state:has-text('✓')").wait_for()
    finally:
        context.close()
    evaluation = Evaluation.objects.get()
    assert (evaluation.rating, evaluation.notes, evaluation.drill_id) == ("S", "拦截坝位置犹豫", drill.pk)

    context, page = _login(browser, live_asgi, "trainer")
    try:
        page.goto(f"{live_asgi}/drills/{drill.pk}/console/")
        page.wait_for_function("() => document.getElementById('status').dataset.status === 'running'")
        page.click("[data-action=end]")
        page.wait_for_function("() => document.getElementById('status').dataset.status === 'ended'")
        page.goto(f"{live_asgi}/drills/{drill.pk}/score/")
        assert page.locator("[data-testid=score-table]").is_visible()
    finally:
        context.close()
    assert Drill.objects.get(pk=drill.pk).status == Drill.Status.ENDED


def test_the_msel_table_editor_adds_and_edits_injects(browser, live_asgi, make_user, make_drill):
    make_user(roles.TRAINER, "environment", username="trainer", password=PASSWORD)
    drill = make_drill(injects=[(5, "fire", "筑坝拦截")], start=timezone.now() + timedelta(days=2))
    context, page = _login(browser, live_asgi, "trainer")
    try:
        page.goto(f"{live_asgi}/drills/{drill.pk}/")
        first = page.locator("#msel tbody tr").first
        first.locator("[data-field=message]").fill("河面发现大片油膜")
        first.locator("button:not(.danger)").click()
        page.wait_for_selector("#msel tr.saved")
        page.click("#add-row")
        row = page.locator("#msel tbody tr").nth(1)
        row.locator("[data-field=offset_minutes]").fill("20")
        row.locator("[data-field=from]").fill("县应急局")
        row.locator("select[data-field=to]").select_option("police")
        row.locator("[data-field=message]").fill("下游村民围观")
        row.locator("[data-field=expected_action]").fill("设置警戒")
        row.locator("button:not(.danger)").click()
        page.wait_for_function("() => document.querySelectorAll('#msel tr.saved').length === 2")
    finally:
        context.close()
    injects = list(drill.injects.order_by("number").values_list("number", "to_department__code", "message"))
    assert injects == [(1, "fire", "河面发现大片油膜"), (2, "police", "下游村民围观")]
