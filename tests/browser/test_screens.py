"""The screens people act on (issues 13 and 16): the liaison's phone card, results beside the
control that caused them, the timeline as sentences, a closed room, and a room that applies
events from its socket without asking the API again."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point

from backend.incidents import services
from backend.incidents.models import Incident, Task
from backend.incidents.services.lifecycle import append_event
from plans.models import Pollutant
from tests.browser.test_board import PASSWORD
from tests.incidents.conftest import hebei, river  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(browser, base, username, **context_options):
    context = browser.new_context(**context_options)
    page = context.new_page()
    page.on("pageerror", lambda e: print("PAGEERROR", username, e))
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit].primary")
    try:
        page.wait_for_selector("text=您的角色", timeout=10000)
    except Exception:
        print("LOGIN PAGE", page.url, page.inner_text("body")[:500])
        raise
    return context, page


def open_incident(officer, **fields) -> Incident:
    pollutant = Pollutant.objects.order_by("code").first()
    values = {"title": "罐车侧翻泄漏", "kind": "water", "location": Point(112.1, 38.5005, srid=4326),
              "pollutant": pollutant, "mass_kg": 500.0, "actor": officer, **fields}  # fmt: skip
    return services.open_incident(**values)


@pytest.fixture
def officer(make_user, duty_officer):
    # The same user as the `duty_officer` fixture (username "duty"), with a password to log in.
    return make_user("duty_officer", "environment", username="duty", password=PASSWORD)


def test_the_phone_card_says_what_where_when_and_drill(browser, live_asgi, make_user, officer, river):  # noqa: F811
    make_user("liaison", "fire", username="liaison-fire", password=PASSWORD)
    incident = open_incident(officer, title="演练：罐车侧翻", exercise=True)
    task = Task.objects.get(incident=incident, department__code="fire")
    context, page = login(browser, live_asgi, "liaison-fire", viewport={"width": 390, "height": 844})
    try:
        page.goto(f"{live_asgi}/board/department/")
        card = page.wait_for_selector(f"article.task[data-task='{task.pk}']")
        text = card.inner_text()
        assert "【演练】" in text
        assert "演练：罐车侧翻" in text and incident.pollutant.name in text and "500" in text  # what
        assert "滹沱河" in text and "38.5" in text and "112.1" in text  # where
        assert card.query_selector("a.map-link").get_attribute("href").startswith("geo:38.5")
        assert card.query_selector("a.room-link").get_attribute("href") == f"/board/incidents/{incident.pk}/"
        assert "筑坝拦截" in text  # what my department must do
        assert "确认期限" in text and "完成期限" in text and "还剩" in text  # by when, counting down
        assert "⏱" not in text
        box = card.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390
        assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_a_failed_action_shows_its_error_at_the_field_and_a_success_clears_it(browser, live_asgi, officer, river):  # noqa: F811
    incident = open_incident(officer)
    context, page = login(browser, live_asgi, "duty")
    try:
        page.goto(f"{live_asgi}/board/incidents/{incident.pk}/")
        page.wait_for_selector("#live-state.online")
        form = page.locator("#status-form")
        form.locator("select[name=status]").select_option("closed")
        form.locator("button[type=submit]").click()
        error = form.locator(".field-error[data-field=summary]")
        error.wait_for()
        assert "该字段不能为空" in error.inner_text() or "不能为空" in error.inner_text()
        assert page.locator("#message").inner_text() == ""  # nothing at the top of the page
        # Beside the control: the error is within the form's box, not 2,000 px away.
        form_box, error_box = form.bounding_box(), error.bounding_box()
        assert form_box["y"] <= error_box["y"] <= form_box["y"] + form_box["height"]

        level = page.locator("#level-form")
        level.locator("input[name=reason]").fill("下游水源地受威胁")
        level.locator("select[name=level]").select_option("3")
        level.locator("button[type=submit]").click()
        level.locator(".action-result.ok").wait_for()
        page.wait_for_function("() => document.getElementById('level').textContent === 'III'")

        form.locator("input[name=summary]").fill("险情已排除")
        form.locator("button[type=submit]").click()
        page.wait_for_selector("#closed-banner")
        assert form.locator(".field-error").count() == 0
        assert Incident.objects.get(pk=incident.pk).status == "closed"
    finally:
        context.close()


def test_the_supplies_button_confirms_the_dispatch_it_created(browser, live_asgi, officer, river):  # noqa: F811
    from inventory import services as inventory
    from inventory.models import Dispatch

    sandbag = inventory.save_item(
        code="sandbag", name="编织袋", name_en="Sandbag", category="source_cutoff", unit="bag", consumable=True
    )
    at = Point(112.73, 38.42, srid=4326)
    depot = inventory.save_depot(code="XZ-CITY-01", name="市级库", level="city", location=at)
    inventory.receive(depot=depot, item=sandbag, quantity=500, lot="L1")
    incident = open_incident(officer)
    context, page = login(browser, live_asgi, "duty")
    try:
        page.goto(f"{live_asgi}/board/incidents/{incident.pk}/")
        page.wait_for_selector("#live-state.online")
        form = page.locator("#supply-form")
        page.wait_for_selector("#supply-form option[value=sandbag]", state="attached")
        form.locator("select[name=supply_item]").select_option("sandbag")
        form.locator("input[name=quantity]").fill("200")
        form.locator("button[type=submit]").click()
        button = page.locator("#depots button[data-action=dispatch]")
        button.wait_for()
        button.click()
        result = page.locator("#depots li .action-result.ok")
        result.wait_for()
        dispatch = Dispatch.objects.get(incident_id=incident.pk)
        assert f"#{dispatch.pk}" in result.inner_text() and "市级库" in result.inner_text()
        assert "已创建调拨单" in result.inner_text()
        # The request reaches the timeline as a sentence that stands out.
        line = page.locator("#timeline li.highlight[data-type=resource_requested]")
        line.wait_for()
        assert f"调拨单 #{dispatch.pk}" in line.inner_text() and "resource_requested" not in line.inner_text()
    finally:
        context.close()


def test_a_button_cannot_be_pressed_twice(browser, live_asgi, officer, river):  # noqa: F811
    incident = open_incident(officer)
    context, page = login(browser, live_asgi, "duty")
    try:
        page.goto(f"{live_asgi}/board/incidents/{incident.pk}/")
        page.wait_for_selector("#live-state.online")
        page.fill("#note-form input[name=text]", "到达现场")
        # Two presses in one task of the page's event loop: the second finds the button busy.
        page.evaluate("() => { const b = document.querySelector('#note-form button'); b.click(); b.click(); }")
        page.wait_for_selector("#note-form .action-result.ok")
        page.wait_for_selector("#timeline li[data-type=note]")
        page.wait_for_timeout(500)
        assert incident.events.filter(event_type="note").count() == 1
    finally:
        context.close()


def test_the_room_applies_new_events_without_any_http_request(browser, live_asgi, officer, river):  # noqa: F811
    incident = open_incident(officer)
    fire = Task.objects.get(incident=incident, department__code="fire")
    context, page = login(browser, live_asgi, "duty")
    try:
        page.goto(f"{live_asgi}/board/incidents/{incident.pk}/")
        page.wait_for_selector("#live-state.online")
        page.wait_for_selector(f".task-cell[data-task='{fire.pk}'] .pill.status-pending")
        page.wait_for_load_state("networkidle")
        requests = []
        page.on("request", lambda r: requests.append(r.url))

        services.add_note(incident, "现场已设置警戒线", actor=officer)
        services.acknowledge_task(fire, actor=officer)
        services.change_level(Incident.objects.get(pk=incident.pk), 2, "饮用水源地受威胁", actor=officer)
        for n, status in enumerate(["sent", "delivered", "failed"], start=9001):
            append_event(incident.pk, "sms_status", {
                "notification": n, "contact": "张伟", "department": "fire", "to": "+8613900000001",
                "status": status, "previous": "queued", "kind": "task", "error_code": None, "error": None,
            })  # fmt: skip
        services.add_note(incident, "消防已到场", actor=officer)  # a note between the statuses of one round
        append_event(incident.pk, "sms_status", {
            "notification": 9001, "contact": "张伟", "department": "fire", "to": "+8613900000001",
            "status": "delivered", "previous": "sent", "kind": "task", "error_code": None, "error": None,
        })  # fmt: skip

        page.wait_for_selector("#timeline li[data-type=note]")
        page.wait_for_selector(f".task-cell[data-task='{fire.pk}'] .pill.status-acknowledged")
        page.wait_for_function("() => document.getElementById('level').textContent === 'II'")
        page.wait_for_function(
            "() => document.querySelector('#timeline li[data-type=sms_round]')?.textContent.includes('已送达 2')"
        )
        page.wait_for_function("() => document.querySelector('#sms tr[data-department=fire]') !== null")
        assert requests == []

        # The timeline reads as sentences, not event names; the SMS round is one line with counts.
        timeline = page.locator("#timeline").inner_text()
        for raw in ("task_created", "task_acknowledged", "level_changed", "sms_status", "note"):
            assert raw not in timeline
        assert "已向忻州市消防救援支队下达任务：筑坝拦截" in timeline or "下达任务：筑坝拦截" in timeline
        assert "备注：现场已设置警戒线" in timeline
        assert "饮用水源地受威胁" in timeline and "调整为II级" in timeline
        rounds = page.locator("#timeline li[data-type=sms_round]")
        assert rounds.count() == 1
        assert "共 3 条" in rounds.inner_text() and "失败 1" in rounds.inner_text()
        assert page.locator("#timeline li.highlight[data-type=note]").count() == 2
        # The task table shows due times and a countdown.
        cell = page.locator(f".task-cell[data-task='{fire.pk}']").inner_text()
        assert "完成期限" in cell and "还剩" in cell
    finally:
        context.close()


def test_a_closed_room_is_read_only_but_for_notes(browser, live_asgi, officer, river):  # noqa: F811
    incident = open_incident(officer)
    services.change_level(incident, 2, "饮用水源地受威胁", actor=officer)  # the suggestion now differs
    services.close_incident(Incident.objects.get(pk=incident.pk), "险情已排除", actor=officer)
    context, page = login(browser, live_asgi, "duty")
    try:
        page.goto(f"{live_asgi}/board/incidents/{incident.pk}/")
        page.wait_for_selector("#closed-banner")
        page.wait_for_selector("#matrix .task-cell")
        assert page.locator("#matrix button").count() == 0
        assert page.locator(".pill.overdue").count() == 0
        assert page.locator("#threatened .countdown").count() == 0
        assert page.locator(".suggested-level").count() == 0
        assert "还剩" not in page.locator("#matrix").inner_text()
        for form in ("#level-form", "#status-form", "#task-form", "#supply-form"):
            assert not page.locator(form).is_visible()
        assert page.locator("#note-form").is_visible()
        assert page.locator("a[href*=sitrep]").is_visible()
    finally:
        context.close()


def test_the_phone_page_applies_task_events_without_any_http_request(browser, live_asgi, make_user, officer, river):  # noqa: F811
    make_user("liaison", "fire", username="liaison-fire", password=PASSWORD)
    incident = open_incident(officer)
    task = Task.objects.get(incident=incident, department__code="fire")
    context, page = login(browser, live_asgi, "liaison-fire", viewport={"width": 390, "height": 844})
    try:
        page.goto(f"{live_asgi}/board/department/")
        page.wait_for_selector("#live-state.online")
        card = f"article.task[data-task='{task.pk}']"
        page.wait_for_selector(f"{card} .pill.status-pending")
        page.wait_for_load_state("networkidle")
        page.wait_for_selector("#tasks[data-subscribed=fire]")  # the socket follows the department
        requests = []
        page.on("request", lambda r: requests.append(r.url))
        services.acknowledge_task(task, actor=officer)
        page.wait_for_selector(f"{card} .pill.status-acknowledged")
        services.start_task(Task.objects.get(pk=task.pk), actor=officer)
        page.wait_for_selector(f"{card} .pill.status-in_progress")
        services.complete_task(Task.objects.get(pk=task.pk), note="已筑坝", actor=officer)
        page.wait_for_selector(card, state="detached")  # done: no longer open work
        assert requests == []
    finally:
        context.close()
