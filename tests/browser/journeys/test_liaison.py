"""The fire liaison on a 390×844 phone: the card says what, where, by when and whether it is a
drill; they acknowledge, the room shows it, they complete with a note the room shows too."""

from __future__ import annotations

import pytest

from backend.incidents.models import Task

from .conftest import PHONE, open_incident

pytestmark = pytest.mark.browser


def test_the_liaison_acknowledges_and_completes_on_a_phone(journey):
    incident = open_incident("坑塘旁罐车侧翻苯酚泄漏")
    task = Task.objects.get(incident=incident, department__code="fire")
    liaison = journey("liaison-fire", "liaison", PHONE)

    liaison.goto("/board/department/")
    card = f"article.task[data-task='{task.pk}']"
    shown = liaison.see(card, "坑塘旁罐车侧翻苯酚泄漏", "滹沱河", "确认期限", "完成期限", "还剩")
    assert task.text[:10] in shown and "【演练】" not in shown  # what to do; a real incident
    assert liaison.page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    liaison.shot("01-card")

    liaison.page.click(f"{card} button[data-action=acknowledge]")
    liaison.act()
    liaison.see(f"{card} .pill.status-acknowledged", "已确认")
    assert Task.objects.get(pk=task.pk).status == "acknowledged"

    # The room (the card's link) shows the acknowledgement.
    liaison.page.click(f"{card} a.room-link")
    liaison.act()
    liaison.see(f".task-cell[data-task='{task.pk}'] .pill.status-acknowledged", "已确认")
    assert liaison.page.locator("#incident-map").bounding_box()["height"] >= 200  # a map, not a sliver
    assert liaison.page.locator("h2", has_text="操作").count() == 0  # no empty actions card: they act on their cells
    liaison.shot("02-room-acknowledged", at="#matrix")

    liaison.page.go_back()
    liaison.act()
    dialogs = []
    liaison.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    liaison.page.click(f"{card} button[data-action=complete]")  # opens the note form beside it
    liaison.act()
    liaison.page.fill(f"{card} .complete-form textarea[name=note]", "已在坑塘下游筑起拦截坝")
    liaison.act()
    liaison.page.click(f"{card} .complete-form button[data-action=complete-submit]")
    liaison.act()
    liaison.page.locator(card).wait_for(state="detached")  # done: no longer open work
    assert Task.objects.get(pk=task.pk).status == "done"
    assert not dialogs  # no prompt(): the note is written in the form

    liaison.goto(f"/board/incidents/{incident.pk}/")
    liaison.see("#timeline", "已在坑塘下游筑起拦截坝")
    liaison.see(f".task-cell[data-task='{task.pk}']", "已完成")
    liaison.shot("03-room-completed", at="#timeline")
