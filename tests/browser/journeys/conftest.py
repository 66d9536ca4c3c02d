"""Each role's main journey on the demo data (issue 16, "Journeys as tests").

The demo data (`load_demo`, ~20 s) is loaded once for the package and flushed at its end, so the
journeys run on the same counties, rivers, depots, drills and users the README's demo logins
name. The journeys therefore do not use `django_db(transaction=True)` (which would flush the demo
after the first test): the database is unblocked for each test instead, and every write is
committed at once (autocommit), as the uvicorn subprocess must see it (the `db` fixture below). Each journey makes its
own objects (an incident, a dispatch) so they do not depend on each other's order.

With ERC_SCREENSHOTS=<dir> (`make screenshots`) each journey's key screens are written there as
PNG, on a desk (1440×900) and on a phone (390×844); without it nothing is written.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}
TABLET = {"width": 820, "height": 1180}


def _flush() -> None:
    # As a transactional test's teardown does: the sequences go on (ids are not reused).
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)


@pytest.fixture(scope="package")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        _flush()  # whatever an earlier test left
        call_command("load_demo", verbosity=0)
    yield
    with django_db_blocker.unblock():
        _flush()


@pytest.fixture(autouse=True)
def db(demo, django_db_blocker):
    """Here `db` is the demo database with every write committed (it replaces pytest-django's
    `db`, which would wrap each test in a transaction the uvicorn subprocess cannot see).
    Its name also tells pytest-django to set up the test database for these tests."""
    with django_db_blocker.unblock():
        yield


def user(username: str):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


class Journey:
    """One person's browser: signed in as a demo user, counting what they do and, when asked,
    keeping the key screens."""

    def __init__(self, browser, base: str, username: str, name: str, viewport: dict):
        client = Client()
        client.force_login(user(username))
        self.context = browser.new_context(viewport=viewport, locale="zh-CN")
        self.context.add_cookies([{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}])
        self.page = self.context.new_page()
        self.page.on("pageerror", lambda e: print("PAGEERROR", username, e))
        self.base, self.name, self.viewport = base, name, viewport
        self.actions = 0
        self.started = time.monotonic()

    def goto(self, path: str) -> None:
        self.page.goto(self.base + path)

    def act(self, what: str = "") -> None:
        """One user action: a click, a field filled, a choice in a select, a suggestion picked."""
        self.actions += 1

    def see(self, selector: str, *texts: str, timeout: float = 10000) -> str:
        """Wait until the element is visible and shows every text; return what it shows."""
        locator = self.page.locator(selector).first
        locator.wait_for(state="visible", timeout=timeout)
        deadline = time.monotonic() + timeout / 1000
        while True:
            shown = locator.inner_text()
            if all(text in shown for text in texts):
                return shown
            if time.monotonic() > deadline:
                missing = [text for text in texts if text not in shown]
                raise AssertionError(f"{selector} shows {shown[:400]!r}, not {missing!r}")
            self.page.wait_for_timeout(100)

    def shot(self, step: str, at: str | None = None) -> None:
        """With ERC_SCREENSHOTS set: this screen on a desk and on a phone (viewport only), from
        the top of the page or, with `at`, with that element at the top of the view."""
        folder = os.environ.get("ERC_SCREENSHOTS")
        if not folder:
            return
        Path(folder).mkdir(parents=True, exist_ok=True)
        for device, size in (("desktop", DESKTOP), ("phone", PHONE)):
            self.page.set_viewport_size(size)
            self.page.wait_for_timeout(400)  # maps and grids lay out again
            if at:
                self.page.locator(at).first.evaluate("(e) => e.scrollIntoView({block: 'start'})")
            else:
                self.page.evaluate("() => window.scrollTo(0, 0)")
            path = Path(folder) / f"{self.name}-{step}-{device}.png"
            self.page.screenshot(path=str(path), animations="disabled", caret="hide")
            _shrink(path)
        self.page.set_viewport_size(self.viewport)
        self.page.wait_for_timeout(200)

    def close(self) -> None:
        self.context.close()


def _shrink(path: Path) -> None:
    """A 256-colour palette keeps screenshots of flat UI readable at a fraction of the size."""
    try:
        from PIL import Image
    except ImportError:  # the PNG stays as Chromium wrote it
        return
    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE)
    small.save(path, optimize=True)


@pytest.fixture
def journey(browser, live_asgi):
    opened = []

    def start(username: str, name: str, viewport: dict = DESKTOP) -> Journey:
        opened.append(Journey(browser, live_asgi, username, name, viewport))
        return opened[-1]

    yield start
    for one in opened:
        one.close()


def open_incident(title: str, feature: str = "忻府区滹沱河坑塘"):
    """An incident the journey is not about creating: opened through the service, as the duty
    officer would, at a demo river feature."""
    from django.contrib.gis.geos import Point

    from backend.incidents import services
    from plans.models import Pollutant, RiverFeature

    at = RiverFeature.objects.get(name=feature).location
    return services.open_incident(
        title=title, kind="water", location=Point(at.x, at.y, srid=4326),
        pollutant=Pollutant.objects.get(code="phenol"), mass_kg=1500.0, actor=user("duty"),
    )  # fmt: skip
