"""The issue's browser test: the trainer starts a drill, an inject appears live on the fire
liaison's board, the liaison acknowledges, and the score page shows fire's acknowledgement time."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from backend.incidents.models import Task

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-123456!"


def login(browser, base, username):
    context = browser.new_context()
    page = context.new_page()
    page.on("pageerror", lambda e: print("PAGEERROR", username, e))
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("[data-testid=who]")
    return context, page


def test_an_inject_reaches_the_liaison_live_and_the_score_shows_the_ack(
    browser, live_asgi, make_drill, trainer, fire_liaison
):
    drill = make_drill(injects=[(0, "fire", "立即在石坝处筑坝拦截")], start=timezone.now() + timedelta(hours=1))
    trainer_context, console = login(browser, live_asgi, "trainer")
    liaison_context, board = login(browser, live_asgi, "liaison-fire")
    try:
        board.goto(f"{live_asgi}/board/department/")
        board.wait_for_selector("#live-state.online")
        assert board.locator("article.task").count() == 0

        console.goto(f"{live_asgi}/drills/{drill.pk}/console/")
        console.click("button[data-action=start]")

        card = board.wait_for_selector("article.task:has-text('立即在石坝处筑坝拦截')", timeout=10000)
        task = Task.objects.get(source="inject", department__code="fire")
        assert card.get_attribute("data-task") == str(task.pk)
        card.query_selector("button[data-action=acknowledge]").click()
        board.wait_for_selector(f"article.task[data-task='{task.pk}'] .pill.status-acknowledged", timeout=5000)

        task.refresh_from_db()
        assert task.acknowledged_at is not None
        console.goto(f"{live_asgi}/drills/{drill.pk}/score/")
        ack = console.inner_text("[data-testid=ack-fire]")
        assert ack.endswith(" s") and ack != "—"
        assert 0 <= int(ack.removesuffix(" s")) <= 120
    finally:
        trainer_context.close()
        liaison_context.close()
