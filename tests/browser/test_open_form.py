"""The duty officer's open form: place search, coordinates typed the ways people type them,
the no-river warning to confirm, and one incident however often the button is pressed."""

from __future__ import annotations

import pytest

from backend.incidents.models import Incident
from tests.browser.test_board import PASSWORD, login
from tests.incidents.conftest import hebei, river  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def officer(browser, live_asgi, make_user, river):  # noqa: F811
    make_user("duty_officer", "environment", username="duty", password=PASSWORD)
    context, page = login(browser, live_asgi, "duty")
    yield page
    context.close()


PARSES = [
    ("113.86, 39.17", [113.86, 39.17]),
    ("39.17 113.86", [113.86, 39.17]),
    ("113°51′44″E 39°10′36″N", [113.862222, 39.176667]),
    ("39°10'36\"N, 113°51'44\"E", [113.862222, 39.176667]),
    ("北纬39°10′36″ 东经113°51′44″", [113.862222, 39.176667]),
    ("113,867", "decimal_comma"),
    ("39.1 38.2", "ambiguous"),
    ("hello", "unreadable"),
    ("113.86; 95", "range"),
]


def test_coordinates_are_read_the_ways_people_type_them(officer, live_asgi):
    officer.goto(f"{live_asgi}/board/new/")
    for typed, expected in PARSES:
        got = officer.evaluate(
            "async (t) => { const m = await import('/static/js/coords.js'); const r = m.parseCoordinates(t);"
            " return r.error || [r.lon, r.lat]; }",
            typed,
        )
        assert got == expected, typed


def test_a_place_found_by_name_is_checked_against_the_rivers_and_opened_once(officer, live_asgi):
    officer.goto(f"{live_asgi}/board/new/")
    officer.fill("input[name=title]", "罐车侧翻苯酚泄漏")
    # A decimal comma is explained in the form, not sent as broken GeoJSON.
    officer.fill("input[name=coordinates]", "113,867")
    officer.press("input[name=coordinates]", "Tab")
    assert "113.867" in officer.inner_text("[data-testid=coord-message]")

    # Far from every river: the officer must confirm before the incident opens.
    officer.fill("input[name=coordinates]", "112.5, 38.9")
    officer.press("input[name=coordinates]", "Tab")
    officer.wait_for_selector("[data-testid=confirm-no-river]", state="visible")
    officer.click("[data-testid=open-submit]")
    assert officer.inner_text("[data-testid=open-message]") != ""
    assert Incident.objects.count() == 0

    # Search by feature name: the point snaps to the river, the warning goes away.
    officer.fill("[data-testid=place-search]", "水源地")
    officer.click("[data-testid=place-results] button")
    officer.wait_for_selector("#river-status.ok")
    assert "滹沱河" in officer.inner_text("#river-status")
    assert officer.input_value("input[name=coordinates]") == "112.50000, 38.50000"
    assert officer.locator("[data-testid=confirm-no-river]").is_hidden()

    # A double click: the button locks while the first request works, one incident opens.
    officer.dblclick("[data-testid=open-submit]")
    officer.wait_for_url("**/board/incidents/*/")
    assert Incident.objects.count() == 1
    assert Incident.objects.get().river.name == "滹沱河"


def test_the_map_shows_the_orientation_layer_with_names(officer, live_asgi):
    officer.goto(f"{live_asgi}/board/new/")
    officer.wait_for_selector(".river-tip")
    assert "滹沱河" in officer.inner_text(".river-tip")
    assert officer.locator("path.leaflet-interactive").count() >= 1


def test_the_drill_checkbox_sits_next_to_its_label(officer, live_asgi):
    officer.goto(f"{live_asgi}/board/new/")
    box = officer.locator("input[name=exercise]").bounding_box()
    text = officer.locator("input[name=exercise] + span").bounding_box()
    assert 0 <= text["x"] - (box["x"] + box["width"]) < 16
    assert abs((text["y"] + text["height"] / 2) - (box["y"] + box["height"] / 2)) < 8


def test_the_depot_map_has_the_orientation_layer_too(officer, live_asgi):
    officer.goto(f"{live_asgi}/inventory/map/")
    officer.wait_for_selector(".river-tip")
    assert "滹沱河" in officer.inner_text(".river-tip")


def test_a_place_typed_before_the_script_ran_is_still_searched(officer, live_asgi):
    """On a slow network the officer types while the page's script is still loading; the
    search must not wait for another keystroke (the duty officer's journey once timed out so)."""
    held = []
    officer.route("**/static/incidents/open.js*", lambda route: held.append(route))
    # Not waiting for DOMContentLoaded: a held module script holds that event back too.
    officer.goto(f"{live_asgi}/board/new/", wait_until="commit")
    officer.wait_for_selector("[data-testid=place-search]")
    officer.fill("[data-testid=place-search]", "滹沱")
    officer.wait_for_timeout(300)
    assert held, "the form's script was not requested"
    assert officer.locator("[data-testid=place-results] button").count() == 0  # no script yet
    held[0].continue_()
    officer.locator("[data-testid=place-results] button").first.wait_for(state="visible", timeout=10000)
    assert "滹沱" in officer.inner_text("[data-testid=place-results]")
