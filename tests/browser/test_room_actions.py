"""The incident room's reassign form (inline, no prompt()) and its supplies panel: the
recommended depot's duty contact (a tel: link), hours, and "closed now (opens at …)"."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from backend.directory import services as directory_services
from backend.incidents.models import IncidentEvent, Task
from inventory import services as inventory
from tests.browser.test_screens import PASSWORD, login, open_incident
from tests.incidents.conftest import hebei, river  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(make_user, duty_officer):
    return make_user("duty_officer", "environment", username="duty", password=PASSWORD)


def test_a_task_is_reassigned_in_an_inline_form_once(browser, live_asgi, officer, river):  # noqa: F811
    incident = open_incident(officer)
    task = Task.objects.get(incident=incident, department__code="fire")
    context, page = login(browser, live_asgi, "duty")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"{live_asgi}/board/incidents/{incident.pk}/")
        page.wait_for_selector("#live-state.online")
        cell = page.locator(f"#matrix .task-cell[data-task='{task.pk}']")
        cell.locator("button[data-action=reassign]").click()
        form = cell.locator("form.reassign-form")
        form.wait_for()
        assert not dialogs  # no prompt()
        # The form lists the other departments by name, not the task's own.
        options = form.locator("select[name=department] option").all_inner_texts()
        assert "忻州市公安局" in options and "忻州市消防救援支队" not in options
        form.locator("select[name=department]").select_option("police")
        form.locator("input[name=reason]").fill("消防力量调往上游")
        # Two submits at once (a double click): the button is disabled while the first runs.
        form.evaluate("(f) => { f.requestSubmit(); f.requestSubmit(); }")
        moved = page.locator(f"#matrix tr[data-department=police] .task-cell[data-task='{task.pk}']")
        moved.wait_for()
        result = moved.locator(".actions > .action-result.ok")
        result.wait_for()
        assert result.inner_text() == "已完成。"
        assert moved.locator("form.reassign-form").count() == 0
        task.refresh_from_db()
        assert task.department.code == "police"
        assert IncidentEvent.objects.filter(incident=incident, event_type="task_reassigned").count() == 1
        assert not dialogs
    finally:
        context.close()


def test_an_empty_reassign_shows_its_error_beside_the_field(browser, live_asgi, officer, river):  # noqa: F811
    incident = open_incident(officer)
    task = Task.objects.get(incident=incident, department__code="fire")
    context, page = login(browser, live_asgi, "duty")
    try:
        page.goto(f"{live_asgi}/board/incidents/{incident.pk}/")
        page.wait_for_selector("#live-state.online")
        cell = page.locator(f"#matrix .task-cell[data-task='{task.pk}']")
        cell.locator("button[data-action=reassign]").click()
        # The department is required: the browser refuses the form, nothing is sent.
        cell.locator("form.reassign-form button[type=submit]").click()
        assert not cell.locator("select[name=department]").evaluate("(s) => s.checkValidity()")
        task.refresh_from_db()
        assert task.department.code == "fire"
        cell.locator("form.reassign-form button.link").click()  # Cancel closes it
        assert cell.locator("form.reassign-form").count() == 0
    finally:
        context.close()


@pytest.fixture
def depots(departments):
    """Two depots with the item near the spill: one open 24 hours, one shut now (its hours
    start two hours from now, local time) with its manager to call."""
    item = inventory.save_item(
        code="pac", name="聚合氯化铝（PAC）", name_en="PAC", category="treatment", unit="吨", unit_en="t"
    )
    manager = directory_services.save_contact(
        department=departments["environment"], name="李库管", duty_role="仓库管理员", mobile="+8613900000001"
    )
    now = timezone.localtime()
    opens, closes = (now + timedelta(hours=2)).hour, (now + timedelta(hours=3)).hour
    shut = inventory.save_depot(
        code="D-SHUT", name="原平市储备库", level="county", location=Point(112.11, 38.5, srid=4326),
        opening_hours=f"{opens:02d}:00–{closes:02d}:00", manager=manager,
    )  # fmt: skip
    always = inventory.save_depot(
        code="D-24H", name="忻州市储备库", level="city", location=Point(112.3, 38.5, srid=4326), is_24h=True
    )
    for depot in (shut, always):
        inventory.receive(depot=depot, item=item, quantity=20, lot="L1", expires_on=None, received_on=now.date())
    return f"{opens:02d}:00"


def test_the_recommended_depot_shows_whom_to_call_and_that_it_is_shut(browser, live_asgi, officer, river, depots):  # noqa: F811
    incident = open_incident(officer)
    context, page = login(browser, live_asgi, "duty")
    try:
        page.goto(f"{live_asgi}/board/incidents/{incident.pk}/")
        form = page.locator("#supply-form")
        form.locator("select[name=supply_item] option[value=pac]").wait_for(state="attached")
        assert form.locator("select[name=supply_item] option[value=pac]").inner_text() == "聚合氯化铝（PAC） (吨)"
        form.locator("select[name=supply_item]").select_option("pac")
        form.locator("input[name=quantity]").fill("5")
        form.locator("button[type=submit]").click()
        shut = page.locator("#depots li[data-depot=D-SHUT]")
        shut.wait_for()
        text = shut.inner_text()
        assert "李库管" in text and f"现在闭库（{depots} 开库）" in text and "20 吨" in text
        assert shut.locator("a[href='tel:+8613900000001']").inner_text() == "+8613900000001"
        assert "depot-closed" in shut.get_attribute("class")
        always = page.locator("#depots li[data-depot=D-24H]").inner_text()
        assert "24小时开放" in always and "闭库" not in always and "未登记值班联系人" in always
    finally:
        context.close()


def test_units_follow_the_page_language(browser, live_asgi, officer, river, depots):  # noqa: F811
    incident = open_incident(officer)
    context, page = login(browser, live_asgi, "duty")
    try:
        context.add_cookies([{"name": "django_language", "value": "en", "url": live_asgi}])
        page.goto(f"{live_asgi}/board/incidents/{incident.pk}/")
        assert page.evaluate("() => document.documentElement.lang").startswith("en")
        form = page.locator("#supply-form")
        form.locator("select[name=supply_item] option[value=pac]").wait_for(state="attached")
        assert form.locator("select[name=supply_item] option[value=pac]").inner_text() == "PAC (t)"
        form.locator("select[name=supply_item]").select_option("pac")
        form.locator("input[name=quantity]").fill("5")
        form.locator("button[type=submit]").click()
        shut = page.locator("#depots li[data-depot=D-SHUT]")
        shut.wait_for()
        assert "20 t" in shut.inner_text() and "吨" not in shut.inner_text()
        page.goto(f"{live_asgi}/inventory/depots/D-SHUT/")
        assert "20 t" in page.locator("main").inner_text()
    finally:
        context.close()


def test_a_liaison_asks_to_reassign_with_a_reason_in_the_card(browser, live_asgi, make_user, officer, river):  # noqa: F811
    make_user("liaison", "fire", username="liaison-fire", password=PASSWORD)
    incident = open_incident(officer)
    task = Task.objects.get(incident=incident, department__code="fire")
    context, page = login(browser, live_asgi, "liaison-fire", viewport={"width": 390, "height": 844})
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"{live_asgi}/board/department/")
        card = page.locator(f"article.task[data-task='{task.pk}']")
        card.locator("button[data-action=ask-reassign]").click()
        form = card.locator("form.reassign-form")
        assert form.locator("select").count() == 0  # a liaison does not choose the department
        form.locator("input[name=reason]").fill("本队力量已全部出动")
        form.locator("button[type=submit]").click()
        card.locator(".action-result.ok").wait_for()
        assert not dialogs
        assert IncidentEvent.objects.filter(incident=incident, event_type="task_reassign_requested").count() == 1
        task.refresh_from_db()
        assert task.department.code == "fire"  # only asked: the duty officer decides
    finally:
        context.close()


def test_a_reporting_deadline_is_completed_in_an_inline_form(browser, live_asgi, officer, river):  # noqa: F811
    """Who reported, to whom and how are asked beside the task, not in prompt() dialogs."""
    from backend.incidents.models import ReportingDeadline

    incident = open_incident(officer)
    deadline = ReportingDeadline.objects.get(incident=incident)
    context, page = login(browser, live_asgi, "duty")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    try:
        page.goto(f"{live_asgi}/board/incidents/{incident.pk}/")
        page.wait_for_selector("#live-state.online")
        cell = page.locator(f"#matrix .task-cell[data-task='{deadline.task_id}']")
        cell.locator("button[data-action=complete]").click()
        form = cell.locator("form.complete-form")
        form.wait_for()
        assert not dialogs
        form.locator("input[name=reported_by]").fill("值班员王五")
        form.locator("input[name=reported_to]").fill("忻州市人民政府，山西省生态环境厅")
        form.locator("select[name=via]").select_option("written")
        form.evaluate("(f) => { f.requestSubmit(); f.requestSubmit(); }")  # a double click: one request
        page.locator(f"#matrix .task-cell[data-task='{deadline.task_id}'] .pill.status-done").wait_for()
        deadline.refresh_from_db()
        assert deadline.reported_by == "值班员王五" and deadline.via == "written"
        assert deadline.reported_to == ["忻州市人民政府", "山西省生态环境厅"]
        assert IncidentEvent.objects.filter(incident=incident, event_type="task_completed").count() == 1
        assert not dialogs
    finally:
        context.close()
