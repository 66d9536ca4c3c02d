"""Issue #12, finding 2: stored XSS on the map pages, and the Content-Security-Policy.

Names typed by users (a county, a river, a feature, a depot, an incident, a drill and so its
exercise incident) carry script payloads. Every map page opens every tooltip and popup in a real
Chromium: the payloads show as text, nothing runs, and the browser reports no CSP violation
(the pages' own scripts, django-leaflet's map tag, the admin's map widgets and Swagger UI all
run under the policy). Every HTML page of the URL conf carries the header; MAP_TILE_URL's hosts
are the only other image sources.
"""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.gis.geos import MultiPolygon, Point, Polygon
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from backend.directory.models import AdminArea
from backend.incidents.models import Incident
from drills import services as drills
from inventory import services as inventory
from plans import services as plans
from plans.models import ResponsePlan, RiverFeature
from tests.incidents.conftest import SPILL, hebei, river  # noqa: F401 - fixtures
from tests.support.settings_probe import settings_in_fresh_process

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "Demo!2026"
IMG = '<img src=x onerror="window.__xss=1">'
SCRIPT = "<script>window.__xss=2</script>"

# Test-only hooks, injected by the browser before any page script (CSP does not apply to them):
# every Leaflet map the page creates, and every CSP violation the page reports.
HOOKS = """
window.__maps = []; window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__csp.push(`${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
let leaflet;
Object.defineProperty(window, "L", {
  configurable: true,
  get() { return leaflet; },
  set(value) {
    leaflet = value;
    if (value && value.Map && !value.__hooked) {
      value.__hooked = true;
      value.Map.addInitHook(function () { window.__maps.push(this); });
    }
  },
});
"""

# Open every tooltip and then every popup of every map; return their texts.
OPEN_ALL = """
() => {
  const texts = [];
  for (const map of window.__maps) {
    const layers = [];
    map.eachLayer((layer) => layers.push(layer));
    for (const layer of layers) {
      const tooltip = layer.getTooltip && layer.getTooltip();
      if (!tooltip) continue;
      layer.openTooltip();
      texts.push(["tooltip", tooltip.getElement()?.textContent ?? ""]);
      layer.closeTooltip();
    }
    for (const layer of layers) {
      const popup = layer.getPopup && layer.getPopup();
      if (!popup) continue;
      layer.openPopup();
      texts.push(["popup", popup.getElement().querySelector(".leaflet-popup-content").textContent]);
      map.closePopup();
    }
  }
  return texts;
}
"""


@pytest.fixture
def payloads(departments, river, duty_officer, make_user):  # noqa: F811
    """Everything a user can name, named with a payload; returns what the pages will show."""
    square = Polygon(((111.5, 38.0), (113.5, 38.0), (113.5, 39.0), (111.5, 39.0), (111.5, 38.0)), srid=4326)
    AdminArea.objects.create(code="140999", name=f"县{SCRIPT}", level="county", boundary=MultiPolygon(square))
    plans.save_river(river=river, name=f"河{IMG}", name_en=f"River{SCRIPT}")
    plans.save_feature(river=river, kind="receptor", name=f"取水口{IMG}{SCRIPT}",
                       location=Point(112.7, 38.5, srid=4326), receptor_type="drinking_water", serves="county",
                       water_class="II")  # fmt: skip
    manager = make_user("depot_manager", username="depot", password=PASSWORD)
    depot = inventory.save_depot(code="xss-depot", name=f"库{IMG}", level="county",
                                 location=Point(112.3, 38.6, srid=4326), managers=[manager])  # fmt: skip
    incident = _open(duty_officer, f"真实事件{IMG}")
    trainer = make_user("trainer", username="trainer", password=PASSWORD)
    drill = drills.schedule_drill(
        title=f"演练{SCRIPT}", form="tabletop", scope="comprehensive",
        plan=ResponsePlan.objects.get(river=river, status=ResponsePlan.Status.APPROVED),
        location=Point(*SPILL["coordinates"], srid=4326),
        narrative=IMG, scheduled_start=timezone.now() + timedelta(days=4), duration_minutes=60,
        objectives=[SCRIPT], departments=[departments["environment"], departments["fire"]], evaluators=[],
        actor=trainer, now=timezone.now(),
    )  # fmt: skip
    drill = drills.start_drill(drill, actor=trainer)
    return {"incident": incident, "exercise": drill.incident, "drill": drill, "depot": depot}


def _open(officer, title) -> Incident:
    client = APIClient()
    client.force_authenticate(officer)
    response = client.post("/api/incidents/", {"title": title, "kind": "water", "location": SPILL}, format="json")
    assert response.status_code == 201, response.content
    return Incident.objects.get(pk=response.json()["id"])


def _login(browser, base, username, password=PASSWORD):
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.add_init_script(HOOKS)
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit].primary")
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    return context, page


class Visit:
    """Opens pages in one browser context and records what would show an attack or a broken page."""

    def __init__(self, page, base):
        self.page, self.base, self.errors, self.console = page, base, [], []
        page.on("pageerror", lambda error: self.errors.append(f"{page.url}: {error}"))
        page.on("console", lambda m: self.console.append(f"{page.url}: {m.text}") if m.type == "error" else None)

    def open(self, path, ready):
        response = self.page.goto(f"{self.base}{path}")
        assert response.status == 200, path
        csp = response.headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "object-src 'none'" in csp, (path, csp)
        try:
            self.page.wait_for_selector(ready, state="attached", timeout=15000)
        except Exception as error:  # say why the page did not come up (a refused script, an error)
            raise AssertionError((path, self.page.evaluate("window.__csp"), self.console, self.errors)) from error
        self.page.wait_for_load_state("networkidle")
        return self

    def check(self, path):
        """Nothing ran, no payload became markup, nothing was refused by the policy."""
        page = self.page
        assert page.evaluate("window.__xss") is None, path
        assert page.locator('img[src="x"]').count() == 0, path
        # (json_script data blocks hold the names too, as data: only executable scripts count)
        runnable = "[...document.scripts].filter((s) => s.type !== 'application/json')"
        assert page.evaluate(f"{runnable}.filter((s) => s.textContent.includes('__xss')).length") == 0, path
        assert page.evaluate("window.__csp") == [], path
        refused = [line for line in self.console if "Content Security Policy" in line]
        assert not refused, refused
        assert not self.errors, self.errors

    def open_all(self):
        return self.page.evaluate(OPEN_ALL)


def _texts(found, kind):
    return [text for what, text in found if what == kind]


def test_payload_names_show_as_text_and_run_nowhere(browser, live_asgi, payloads, make_user):
    make_user("duty_officer", "environment", username="duty", password=PASSWORD)
    context, page = _login(browser, live_asgi, "duty")
    visit = Visit(page, live_asgi)
    incident, exercise, drill = payloads["incident"], payloads["exercise"], payloads["drill"]
    try:
        # 一图: the plans overview and the river map: county and river tooltips, river, feature
        # and depot popups.
        for path in ("/plans/", "/plans/rivers/hutuo-t/"):
            visit.open(path, "#plans-map .leaflet-marker-icon")
            page.wait_for_selector("#plans-map .plans-sym-depot")  # the depots, fetched after the rest
            found = visit.open_all()
            tooltips, popups = _texts(found, "tooltip"), _texts(found, "popup")
            assert f"县{SCRIPT}" in tooltips, (path, tooltips)
            assert f"河{IMG}" in tooltips, (path, tooltips)
            assert any(text.startswith(f"河{IMG} · River{SCRIPT}") for text in popups), (path, popups)
            assert any(text.startswith(f"取水口{IMG}{SCRIPT}") for text in popups), (path, popups)
            assert any(text.startswith(f"库{IMG}") for text in popups), (path, popups)
            visit.check(path)

        # The depot map (django-leaflet's map tag with the nonce): tooltip and popup.
        visit.open("/inventory/map/", "#depot-map .leaflet-interactive")
        found = visit.open_all()
        assert f"库{IMG}" in _texts(found, "tooltip"), found
        assert any(text.startswith(f"库{IMG}") for text in _texts(found, "popup")), found
        visit.check("/inventory/map/")

        # The incident rooms, real and exercise: the title popup and the downstream feature's.
        for room, title in ((incident, f"真实事件{IMG}"), (exercise, f"演练{SCRIPT}")):
            path = f"/board/incidents/{room.pk}/"
            visit.open(path, "#live-state.online")
            page.wait_for_function("() => document.querySelectorAll('#incident-map .leaflet-interactive').length > 1")
            popups = _texts(visit.open_all(), "popup")
            assert title in popups, popups
            assert f"取水口{IMG}{SCRIPT}" in popups, popups
            assert page.locator("h1").inner_text() == f"[{room.short_code}] {title}"
            visit.check(path)

        # Pages that list the same names without a map.
        visit.open("/board/", f"[data-incident='{incident.pk}']")
        assert f"真实事件{IMG}" in page.inner_text(f"[data-incident='{incident.pk}']")
        visit.check("/board/")
        # The select that used an inline onchange still submits its form (js/page.js).
        visit.open("/board/department/", "select[data-autosubmit]")
        with page.expect_navigation():
            page.select_option("select[data-autosubmit]", "environment")
        assert "department=environment" in page.url
        page.wait_for_selector("#live-state.online")
        visit.check("/board/department/")
        visit.open("/board/new/", "#open-map .leaflet-interactive")
        visit.check("/board/new/")
        # The other pages showing these names (drill scores, reports and trends draw SVG charts).
        for path in (f"/drills/{drill.pk}/", "/drills/", "/drills/calendar/", "/drills/trends/",
                     "/drills/improvement/", f"/drills/{drill.pk}/score/",
                     "/plans/rivers/hutuo-t/plan/", "/plans/filings/", f"/board/incidents/{incident.pk}/sitrep/",
                     "/inventory/", f"/inventory/depots/{payloads['depot'].code}/", "/inventory/ledger/"):  # fmt: skip
            visit.open(path, "main")
            visit.check(path)
        # The print link that used an inline onclick still prints.
        visit.open(f"/board/incidents/{incident.pk}/sitrep/", "[data-print]")
        page.evaluate("window.print = () => { window.__printed = true; }")
        page.click("[data-print]")
        assert page.evaluate("window.__printed") is True
        assert page.url.endswith("/sitrep/")  # the link's "#" was not followed
    finally:
        context.close()
    context, page = _login(browser, live_asgi, "trainer")
    visit = Visit(page, live_asgi)
    try:
        visit.open(f"/drills/{drill.pk}/console/", "#events li")
        assert f"演练{SCRIPT}" in page.inner_text("main")
        visit.check("console")
        # The after-action report: the drill's staff read it while it runs (players once it ended).
        visit.open(f"/drills/{drill.pk}/report/", "main")
        visit.check(f"/drills/{drill.pk}/report/")
        visit.open(f"/board/incidents/{exercise.pk}/", "#live-state.online")
        assert f"演练{SCRIPT}" in _texts(visit.open_all(), "popup")
        visit.check("exercise room, as the trainer")
    finally:
        context.close()


def test_the_admin_map_widgets_and_the_api_docs_run_under_the_policy(browser, live_asgi, payloads, django_user_model):
    django_user_model.objects.create_superuser("root", password=PASSWORD)
    context, page = _login(browser, live_asgi, "root")
    visit = Visit(page, live_asgi)
    feature = RiverFeature.objects.get(name__startswith="取水口")
    try:
        for path in (
            reverse("admin:plans_river_change", args=[payloads["incident"].river_id]),
            reverse("admin:plans_riverfeature_change", args=[feature.pk]),
            reverse("admin:inventory_depot_change", args=[payloads["depot"].pk]),
        ):
            visit.open(path, ".leaflet-container .leaflet-interactive")
            # The widget's inline script ran (with the nonce): a drawn geometry and its toolbar.
            assert page.locator(".leaflet-draw-toolbar").count() >= 1, path
            visit.check(path)
        visit.open(reverse("admin:plans_riverfeature_add"), ".leaflet-container .leaflet-draw-toolbar")
        visit.check("feature add")
        # Incidents are read-only in the admin (no map widget): the title shows as text.
        visit.open(reverse("admin:incidents_incident_change", args=[payloads["incident"].pk]), "#content-main")
        assert f"真实事件{IMG}" in page.inner_text("#content-main")
        visit.check("incident view")
        visit.open(reverse("admin:plans_river_changelist"), "#result_list")
        assert f"河{IMG}" in page.inner_text("#result_list")
        visit.check("changelist")

        visit.open("/api/docs/", ".swagger-ui .info .title")
        page.wait_for_selector(".swagger-ui .opblock-tag")
        visit.check("/api/docs/")
    finally:
        context.close()


# --- the header on every HTML page --------------------------------------------------------------


def _patterns(resolvers, prefix=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from _patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def _concrete(route: str, values: dict) -> str | None:
    """A URL for a route of the URL conf, its parameters filled from `values` by name."""
    if route.startswith("^") or "(?P" in route:
        route = route.lstrip("^").rstrip("$").replace("\\.", ".").replace("/?", "/")
        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: "<x:" + m.group(1) + ">", route)
        if re.search(r"[\\()\[\]*+?|]", route):
            return None  # a pattern we cannot fill honestly (format suffixes and the like)
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(values.get(m.group(1), "1")), route)


def test_every_html_page_of_the_url_conf_carries_the_policy(client, payloads, django_user_model):
    root = django_user_model.objects.create_superuser("root", password=PASSWORD)
    values = {"code": "hutuo-t", "pk": payloads["incident"].pk, "object_id": payloads["incident"].pk,
              "app_label": "plans", "action": "consume", "what": "stock", "fmt": "csv"}  # fmt: skip
    routes = sorted(set(_patterns(get_resolver().url_patterns)))
    html = []
    for route in routes:
        url = _concrete(route, values)
        if url is None or url.startswith(("/api/", "/static/", "/media/")) or "logout" in url:
            continue
        client.force_login(root)
        response = client.get(url)
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        _assert_page_runs_under_its_policy(url, response)
        html.append((url, response.status_code))
    ok = [url for url, status in html if status == 200]
    assert len(ok) > 60, html  # the app's pages and the admin's
    room = f"/board/incidents/{payloads['incident'].pk}/"
    for page in ("/plans/", "/plans/rivers/hutuo-t/", "/inventory/map/", room):
        assert page in ok, page
    assert any(url.startswith("/a/") for url, _status in html)  # the SMS acknowledgement page (gone), with a style
    # The API's HTML pages: Swagger UI and the browsable API.
    for url in ("/api/docs/", "/api/rivers/"):
        response = client.get(url, HTTP_ACCEPT="text/html")
        assert response.status_code == 200, url
        _assert_page_runs_under_its_policy(url, response)


class _Tags(HTMLParser):
    """Every start tag of a page with its attributes (parsed: text inside attributes is not a tag)."""

    def __init__(self, html):
        super().__init__()
        self.tags = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def _assert_page_runs_under_its_policy(url, response):
    """The header is there and strict, and everything inline on the page is allowed by it: inline
    scripts and styles carry this response's nonce, no tag has an event handler or style attribute."""
    policy = response.get("Content-Security-Policy", "")
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy, (url, response.status_code, policy)
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy, (url, policy)
    nonce = re.search(r"'nonce-([^']+)'", policy)
    for tag, attributes in _Tags(response.content.decode()).tags:
        inline = tag == "style" or (tag == "script" and "src" not in attributes)
        if inline and attributes.get("type") != "application/json":
            assert nonce and attributes.get("nonce") == nonce.group(1), (url, tag, attributes, policy)
        # (DRF's browsable API has two style="float: right" of its own: refused, cosmetic only)
        ours = not url.startswith("/api/")
        inline_attributes = [n for n in attributes if n.startswith("on") or (n == "style" and ours)]
        assert not inline_attributes, (url, tag, attributes)


def _policy(env):
    probe = {"policy": "build_policy(nonce='n0')"}
    prelude = "from csp.utils import build_policy"
    seen = settings_in_fresh_process(["MAP_TILE_URL"], env, prelude=prelude, expressions=probe)
    return dict(part.split(" ", 1) for part in seen["policy"].split("; "))


def test_the_policy_lets_images_come_only_from_the_app_data_and_the_tile_hosts():
    policy = _policy({"MAP_TILE_URL": ""})
    assert policy["img-src"] == "'self' data:"
    assert policy["script-src"] == "'self' 'nonce-n0'"
    assert policy["style-src"] == "'self' 'nonce-n0'"
    assert policy["default-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"

    policy = _policy({"MAP_TILE_URL": "https://{s}.tile.example.org/{z}/{x}/{y}.png"})
    assert (
        policy["img-src"]
        == "'self' data: https://a.tile.example.org https://b.tile.example.org https://c.tile.example.org"
    )
    policy = _policy({"MAP_TILE_URL": "http://tiles.bureau.local:8080/osm/{z}/{x}/{y}.png"})
    assert policy["img-src"] == "'self' data: http://tiles.bureau.local:8080"
    policy = _policy({"MAP_TILE_URL": "//{s}.tiles.bureau.local/{z}/{x}/{y}.png"})  # the page's scheme
    assert policy["img-src"] == "'self' data: a.tiles.bureau.local b.tiles.bureau.local c.tiles.bureau.local"
    assert _policy({"MAP_TILE_URL": "/tiles/{z}/{x}/{y}.png"})["img-src"] == "'self' data:"  # this host
