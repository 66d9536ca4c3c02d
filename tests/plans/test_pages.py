"""The pages render for every signed-in role and carry the map data (no CDN)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from backend.directory import demo as directory_demo
from plans import demo

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data(departments):
    directory_demo.load()
    demo.load()


@pytest.fixture
def signed_in(demo_data, viewer):
    # After the demo: it resets the demo users' passwords, which would end an earlier session.
    client = Client()
    client.force_login(viewer)
    return client


def test_the_overview_lists_every_river(signed_in, demo_data):
    page = signed_in.get("/plans/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "滹沱河" in html and "牧马河" in html
    assert "cdn" not in html.lower() and "unpkg" not in html
    assert "leaflet/leaflet.js" in html


def test_a_river_map_carries_the_river_its_tributaries_and_features(signed_in, demo_data):
    page = signed_in.get("/plans/rivers/hutuo/")
    assert page.status_code == 200
    rivers = json.loads(json.dumps(page.context["rivers_geojson"]))
    assert {f["properties"]["code"] for f in rivers["features"]} == {"hutuo", "muma"}
    kinds = {f["properties"]["kind"] for f in page.context["features_geojson"]["features"]}
    assert kinds == {"section", "receptor", "space", "risk_source"}


def test_the_printable_plan_has_inventory_measures_and_tasks(signed_in, demo_data):
    page = signed_in.get("/plans/rivers/fen/plan/")
    assert page.status_code == 200
    html = page.content.decode()
    for text in ("静乐县城取水口", "关闸拦截", "切断泄漏源", 'data-testid="measures"', 'data-testid="tasks"'):
        assert text in html
    assert signed_in.get("/plans/rivers/fen/plan/?version=1").status_code == 200
    assert signed_in.get("/plans/rivers/nowhere/plan/").status_code == 404


def test_the_filings_page_lists_risk_sources_without_a_filing(signed_in, demo_data):
    page = signed_in.get("/plans/filings/")
    assert page.status_code == 200
    assert "繁峙县义兴寨金矿尾矿库" in page.content.decode()


def test_pages_need_a_login(demo_data):
    assert Client().get("/plans/").status_code == 302


def test_the_admin_shows_plans_with_leaflet_widgets(demo_data, make_user):
    admin_user = make_user("administrator", username="admin-plans")
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = Client()
    client.force_login(admin_user)
    for url in ("river", "riverfeature", "pollutant", "responseplan", "enterpriseplanfiling"):
        assert client.get(f"/admin/plans/{url}/").status_code == 200, url
    add = client.get("/admin/plans/river/add/")
    assert add.status_code == 200 and "leaflet" in add.content.decode().lower()
    from plans.models import River

    hutuo = River.objects.get(code="hutuo")
    assert client.get(f"/admin/plans/river/{hutuo.pk}/change/").status_code == 200


def test_the_plan_is_also_a_pdf(signed_in):
    response = signed_in.get("/plans/rivers/hutuo/plan.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert 'filename="plan-hutuo-v1.pdf"' in response["Content-Disposition"]


def test_the_pdf_map_is_svg_with_a_symbol_per_feature(demo_data):
    from plans.models import River
    from plans.svgmap import river_svg

    fen = River.objects.get(code="fen")
    features = list(fen.features.all())
    svg = river_svg([fen], features, focus_code="fen")
    assert svg.startswith("<svg") and svg.count("<polyline") == 1
    assert svg.count("<rect") - 1 == sum(f.kind == "section" for f in features)  # one is the background
    assert "汾河忻太交界断面" in svg


def test_features_without_their_kind_attributes_render(signed_in):
    """The kind's attributes are optional: pages, PDF map and filings list still render."""
    from django.contrib.gis.geos import Point

    from plans import services
    from plans.models import River

    fen = River.objects.get(code="fen")
    lon, lat = fen.geometry.coords[len(fen.geometry.coords) // 2]
    for kind in ("section", "receptor", "space", "risk_source"):
        services.save_feature(river=fen, kind=kind, name=f"裸{kind}", location=Point(lon, lat, srid=4326))
    for url in (
        "/plans/",
        "/plans/rivers/fen/",
        "/plans/rivers/fen/plan/",
        "/plans/rivers/fen/plan.pdf",
        "/plans/filings/",
    ):
        assert signed_in.get(url).status_code == 200, url
    assert "裸space" in signed_in.get("/plans/rivers/fen/plan/").content.decode()
