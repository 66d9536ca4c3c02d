"""The evaluator on a tablet (820×1180): rates a department's task, records an observation whose
kind (亮点/待改进) is chosen, not defaulted, and reads the score page."""

from __future__ import annotations

import pytest

from drills.models import Drill, Evaluation, Observation

from .conftest import TABLET

pytestmark = pytest.mark.browser

FINISHED = "滹沱河苯酚罐车泄漏桌面演练"  # drills/demo.py


def test_the_evaluator_rates_observes_and_reads_the_score(journey):
    drill = Drill.objects.get(title=FINISHED)
    evaluator = journey("evaluator", "evaluator", TABLET)

    evaluator.goto("/drills/")
    evaluator.page.click(f"[data-testid=drill-list] tr[data-drill='{drill.pk}'] a")
    evaluator.act()
    evaluator.page.click(".drill-tabs a[href$='/evaluate/']")
    evaluator.act()
    card = evaluator.page.locator("form.eval-card").first
    card.wait_for()
    task_id = int(card.get_attribute("data-task"))
    evaluator.see("form.eval-card", "P", "S", "M", "U")
    # Nothing is preselected: a criticism cannot be saved as a strength by default.
    assert evaluator.page.locator("#observation input[name=kind]:checked").count() == 0
    evaluator.shot("01-evaluate")

    card.locator("label.rating-M").click()
    evaluator.act()
    card.locator("textarea[name=notes]").fill("拦截坝构筑用时超出预案要求")
    evaluator.act()
    card.locator("button[type=submit]").click()
    evaluator.act()
    evaluator.see(f"form.eval-card[data-task='{task_id}'] .saved-state", "已保存")
    assert Evaluation.objects.filter(task_id=task_id, rating="M", evaluator__username="evaluator").exists()

    observation = evaluator.page.locator("#observation")
    observation.locator("label.check", has_text="待改进").click()
    evaluator.act()
    observation.locator("select[name=department]").select_option("fire")
    evaluator.act()
    observation.locator("textarea[name=text]").fill("消防拦截坝位置选择偏下游，耗时过长")
    evaluator.act()
    observation.locator("button[type=submit]").click()
    evaluator.act()
    evaluator.see("#observation-list", "待改进", "消防拦截坝位置选择偏下游，耗时过长")
    assert Observation.objects.get(drill=drill, text="消防拦截坝位置选择偏下游，耗时过长").kind == "improvement"
    evaluator.shot("02-observed", at="#observation")

    evaluator.page.click(".drill-tabs a[href$='/score/']")
    evaluator.act()
    evaluator.see(".formula", "计算")
    evaluator.see("[data-testid=score-table]", "忻州市消防救援支队")
    total = evaluator.page.inner_text("[data-testid=total]")
    assert total != "—" and 0 <= float(total) <= 100
    evaluator.shot("03-score")
