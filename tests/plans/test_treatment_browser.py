"""The incident room's treatment proposal in a real browser: the table from the incident's
trace, and the duty officer's one confirmed action that creates the dispatch requests."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point

from backend.directory import demo as directory_demo
from inventory import demo as inventory_demo
from inventory.models import Dispatch
from plans import demo as plans_demo
from plans.models import Pollutant, River

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_duty_officer_turns_the_treatment_into_dispatch_requests(browser, live_asgi, departments):
    from django.contrib.auth import get_user_model

    from backend.incidents.services.opening import open_incident

    directory_demo.load()
    plans_demo.load()
    inventory_demo.load()
    source = River.objects.get(code="hutuo").geometry.interpolate_normalized(0.05)
    incident = open_incident(
        title="镉泄漏",
        kind="water",
        location=Point(source.x, source.y, srid=4326),
        pollutant=Pollutant.objects.get(code="cd"),
        mass_kg=30,
        actor=get_user_model().objects.get(username="duty"),
    )
    treatment = incident.trace["treatment"]
    assert treatment is not None and treatment["items"], incident.trace["recommended_space"]

    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    failures = []
    page.on("pageerror", lambda error: failures.append(str(error)))
    try:
        page.goto(f"{live_asgi}/accounts/login/?next=/board/incidents/{incident.pk}/")
        page.fill("input[name=username]", "duty")
        page.fill("input[name=password]", directory_demo.DEMO_PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_selector("#treatment-body tbody tr")
        rows = page.locator("#treatment-body tbody tr")
        assert rows.count() == len(treatment["items"])
        assert "生石灰" in rows.first.inner_text()
        assert incident.trace["recommended_space"]["name"] in page.inner_text("#treatment-body")

        page.once("dialog", lambda dialog: dialog.accept())
        page.click("#treatment-body button")
        page.wait_for_function("() => document.querySelector('#treatment-body [role=status]').textContent.length > 0")
        assert "已创建调拨申请" in page.inner_text("#treatment-body [role=status]")
        assert Dispatch.objects.filter(incident_id=incident.pk, note="treatment").exists()
        assert failures == []
    finally:
        context.close()
