"""The river map in a real browser: Leaflet from the app's own static files, one symbol per
feature, popups, and the layer switcher (no tiles configured: vector layers only)."""

from __future__ import annotations

import pytest

from backend.directory import demo as directory_demo
from plans import demo
from plans.models import River, RiverFeature

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_duty_officer_reads_the_hutuo_map(browser, live_asgi, departments):
    directory_demo.load()
    demo.load()
    expected = RiverFeature.objects.filter(river__code__in=["hutuo", "muma"]).count()
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    failures = []
    page.on("pageerror", lambda error: failures.append(str(error)))
    page.on("requestfailed", lambda request: failures.append(request.url))
    try:
        page.goto(f"{live_asgi}/accounts/login/?next=/plans/rivers/hutuo/")
        page.fill("input[name=username]", "duty")
        page.fill("input[name=password]", directory_demo.DEMO_PASSWORD)
        page.click("button[type=submit].primary")
        page.wait_for_selector("#plans-map .leaflet-marker-icon")

        assert page.locator("#plans-map .leaflet-marker-icon").count() == expected
        assert page.locator("#plans-map .plans-sym-boundary").count() == 1
        # 滹沱河 and 牧马河, over the 14 (approximate) county outlines of the directory demo.
        assert page.locator("#plans-map path.leaflet-interactive").count() == 2 + 14
        assert page.locator(".leaflet-control-layers-overlays label").count() >= 5
        assert page.locator(".leaflet-tile").count() == 0  # no tile source configured

        page.locator("#plans-map .plans-sym-boundary").click()
        popup = page.locator(".leaflet-popup-content")
        popup.wait_for()
        assert "滹沱河晋冀省界断面" in popup.inner_text()
        page.evaluate("plansMap.closePopup()")

        # Trace a spill by clicking the river upstream of everything: the panel lists it all.
        lon, lat = River.objects.get(code="hutuo").geometry.coords[2]
        page.select_option("#plans-trace select[name=pollutant]", "cyanide")
        page.fill("#plans-trace input[name=mass_kg]", "500")
        x, y = page.evaluate(
            f"(() => {{ const p = plansMap.latLngToContainerPoint([{lat}, {lon}]); return [p.x, p.y]; }})()"
        )
        page.locator("#plans-map").scroll_into_view_if_needed()
        box = page.locator("#plans-map").bounding_box()
        page.mouse.click(box["x"] + x, box["y"] + y)
        status_js = "document.querySelector('#plans-trace .plans-trace-status').innerText"
        page.wait_for_function(f"() => (t => t.length > 3 && !t.endsWith('…'))({status_js})")
        status = page.inner_text("#plans-trace .plans-trace-status")
        assert page.locator("#plans-trace .plans-trace-result").is_visible(), status
        hutuo_features = RiverFeature.objects.filter(river__code="hutuo").count()
        assert page.locator("#plans-trace tbody tr").count() == hutuo_features
        assert page.locator("#plans-trace tr.plans-recommended").count() == 1
        assert "滹沱河" in page.inner_text("#plans-trace .plans-trace-status")
        assert failures == []
    finally:
        context.close()
