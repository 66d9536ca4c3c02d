"""The incident room in a real browser (issue 15): the potential level shown apart from the
suggestion, and the duty officer issuing the initial report from the room."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point

from backend.incidents import services
from backend.incidents.models import InformationReport
from tests.browser.conftest import browser  # noqa: F401 - fixture
from tests.browser.test_board import PASSWORD, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_room_shows_the_potential_level_and_issues_a_report(browser, live_asgi, make_user, river):  # noqa: F811
    officer = make_user("duty_officer", "environment", username="duty", password=PASSWORD)
    incident = services.open_incident(
        title="柴油罐车侧翻", kind="water", location=Point(112.1, 38.5005, srid=4326), actor=officer
    )
    context, page = login(browser, live_asgi, "duty")
    try:
        page.goto(f"{live_asgi}/board/incidents/{incident.pk}/")
        page.wait_for_selector("#potential:not([hidden])")
        assert page.inner_text("#potential-level") == "II"
        assert "县城水源地" in page.inner_text("#potential-reasons")
        assert page.locator("#reasons li").count() == 0  # no mass: nothing counts towards the suggestion

        form = page.locator("#report-form")
        form.locator("input[name=signatory]").fill("李明")
        form.locator("input[name=contact_name]").fill("张华")
        form.locator("input[name=contact_phone]").fill("0350-3033110")
        form.locator("input[name=source]").fill("12369热线")
        with context.expect_page() as opened:
            form.locator("button[type=submit]").click()
        report_page = opened.value
        report_page.wait_for_load_state()
        assert "签发人：李明" in report_page.content()
        report = InformationReport.objects.get(incident=incident)
        assert (report.kind, report.number, report.content["source"]) == ("initial", 1, "12369热线")
        assert page.locator(f"#reports a[href='/board/reports/{report.pk}/']").count() == 1
    finally:
        context.close()
