"""Pages their JavaScript fills, in English (issue 16 item 9): the phone card and the incident
room name departments, rivers and pollutants in English and mark a drill [DRILL]; what is left
in Chinese is data (titles, task texts, people's names). tests/test_i18n_pages.py checks the
server-rendered HTML; this checks what the scripts write into it."""

from __future__ import annotations

import pytest
from django.conf import settings

from backend.incidents.models import Task
from tests.browser.test_board import PASSWORD
from tests.browser.test_screens import login, open_incident
from tests.incidents.conftest import hebei, river  # noqa: F401 - fixtures
from tests.support.i18n_scan import CJK, data_values, without_data

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(make_user, duty_officer):
    # The `duty_officer` user (username "duty"), given a password to log in after it exists.
    return make_user("duty_officer", "environment", username="duty", password=PASSWORD)


def in_english(context, base):
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "url": base}])


def chinese_interface(text: str) -> str:
    return "".join(CJK.findall(without_data(text, data_values())))


def test_the_english_phone_card_names_things_in_english(browser, live_asgi, make_user, officer, river):  # noqa: F811
    make_user("liaison", "fire", username="liaison-fire", password=PASSWORD)
    incident = open_incident(officer, title="演练：罐车侧翻", exercise=True)
    task = Task.objects.get(incident=incident, department__code="fire")
    context, page = login(browser, live_asgi, "liaison-fire", viewport={"width": 390, "height": 844})
    try:
        in_english(context, live_asgi)
        page.goto(f"{live_asgi}/board/department/")
        card = page.wait_for_selector(f"article.task[data-task='{task.pk}']")
        text = card.inner_text()
        assert "[DRILL]" in text and "【" not in text
        assert "Xinzhou Fire and Rescue Detachment" in text and "Hutuo" in text
        assert incident.pollutant.name_en in text and incident.pollutant.name not in text
        assert "演练：罐车侧翻" in text and "筑坝拦截" in text  # data stays as typed
        assert chinese_interface(text) == "", text
    finally:
        context.close()


def test_the_english_room_names_departments_and_the_river_in_english(browser, live_asgi, officer, river):  # noqa: F811
    incident = open_incident(officer, title="演练：罐车侧翻", exercise=True)
    context, page = login(browser, live_asgi, "duty")
    try:
        in_english(context, live_asgi)
        page.goto(f"{live_asgi}/board/incidents/{incident.pk}/")
        page.wait_for_selector("#live-state.online")
        page.wait_for_selector("tr[data-department=fire]")
        text = page.inner_text("#room")
        assert "[DRILL]" in text and "Xinzhou Fire and Rescue Detachment" in text and "River: Hutuo" in text
        assert [line for line in text.splitlines() if "忻州市消防救援支队" in line] == []
        assert chinese_interface(text) == "", chinese_interface(text)
    finally:
        context.close()


def test_the_english_open_form_names_the_river_it_snaps_to_in_english(browser, live_asgi, officer, river):  # noqa: F811
    context, page = login(browser, live_asgi, "duty")
    try:
        in_english(context, live_asgi)
        page.goto(f"{live_asgi}/board/new/")
        page.fill("input[name=coordinates]", "112.5, 38.5")
        page.press("input[name=coordinates]", "Tab")
        page.wait_for_selector("#river-status.ok")
        status = page.inner_text("#river-status")
        assert "Hutuo" in status and "滹沱河" not in status, status
    finally:
        context.close()
