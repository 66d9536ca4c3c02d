"""The orientation layer (counties named at their seats, rivers named) on the incident room's
map and on the plans maps, beneath the page's own layers (issue 16, item 4)."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point

from backend.directory import demo as directory_demo
from backend.incidents import services
from plans import demo as plans_demo
from plans.models import Pollutant, River

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAMES = ".leaflet-orientationNames-pane"


@pytest.fixture
def page(browser, live_asgi, departments):
    directory_demo.load()
    plans_demo.load()
    context = browser.new_context(locale="zh-CN", viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_asgi}/accounts/login/")
    page.fill("input[name=username]", "duty")
    page.fill("input[name=password]", directory_demo.DEMO_PASSWORD)
    page.click("button[type=submit].primary")
    page.wait_for_selector("text=您的角色")
    yield page
    context.close()
    assert not errors


def names_on(page, map_selector: str) -> tuple[list[str], list[str]]:
    page.wait_for_selector(f"{map_selector} {NAMES} .river-tip")
    counties = page.locator(f"{map_selector} {NAMES} .area-tip").all_inner_texts()
    rivers = page.locator(f"{map_selector} {NAMES} .river-tip").all_inner_texts()
    return counties, rivers


def beneath_the_page_layers(page, map_selector: str) -> bool:
    script = (
        "(sel) => { const z = (p) =>"
        " Number(getComputedStyle(document.querySelector(`${sel} .leaflet-${p}-pane`)).zIndex);"
        " return z('orientationNames') < z('overlay') && z('orientationShapes') < z('overlay')"
        " && z('orientationNames') > z('orientationShapes'); }"
    )
    return page.evaluate(script, map_selector)


def test_the_room_map_names_counties_and_rivers_beneath_the_incident(page, live_asgi):
    lon, lat = River.objects.get(code="hutuo").geometry.coords[2]
    incident = services.open_incident(
        title="罐车侧翻泄漏", kind="water", location=Point(lon, lat, srid=4326),
        pollutant=Pollutant.objects.get(code="cyanide"), mass_kg=500.0,
        actor=directory_demo.get_user_model().objects.get(username="duty"),
    )  # fmt: skip
    page.goto(f"{live_asgi}/board/incidents/{incident.pk}/")
    counties, rivers = names_on(page, "#incident-map")
    assert "忻府区" in counties and "原平市" in counties and len(counties) == 14
    assert "滹沱河" in rivers
    assert beneath_the_page_layers(page, "#incident-map")
    # The spill marker is the incident's own, still drawn and clickable above the orientation.
    spill = page.locator("#incident-map .leaflet-overlay-pane path.leaflet-interactive").first
    spill.wait_for()
    label = page.locator(f"#incident-map {NAMES} .area-tip").first
    assert label.evaluate("(e) => getComputedStyle(e).pointerEvents") == "none"


@pytest.mark.parametrize("path", ["/plans/", "/plans/rivers/hutuo/"])
def test_the_plans_maps_name_counties_and_rivers(page, live_asgi, path):
    page.goto(f"{live_asgi}{path}")
    counties, rivers = names_on(page, "#plans-map")
    assert "忻府区" in counties and "五台县" in counties
    assert "滹沱河" in rivers
    assert beneath_the_page_layers(page, "#plans-map")
    # The plan's own features keep their symbols (the orientation adds no marker icons).
    assert page.locator("#plans-map .leaflet-marker-icon").count() >= 1
