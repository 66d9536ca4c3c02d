"""GET /api/places/?q= finds areas, rivers, features and depots by name; /api/places/layer/
is the offline orientation layer (outlines with names, rivers, features, depots)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.gis.geos import MultiPolygon, Point, Polygon

from backend.directory.models import AdminArea
from inventory import services as inventory

pytestmark = pytest.mark.django_db


@pytest.fixture
def places(river):
    square = MultiPolygon(Polygon.from_bbox((112.0, 38.0, 112.4, 38.4)), srid=4326)
    AdminArea.objects.update_or_create(
        code="149901", defaults={"name": "测试县", "name_en": "Ceshi County", "level": "county", "boundary": square}
    )
    inventory.save_depot(code="dep-t", name="测试应急物资库", level="city", location=Point(112.3, 38.6, srid=4326))
    return river


def test_search_finds_each_kind_with_a_point_to_go_to(api_for, duty_officer, places):
    client = api_for(duty_officer)
    area = client.get("/api/places/", {"q": "测试县"}).json()
    assert [(h["kind"], h["name"]) for h in area] == [("area", "测试县")]
    assert 112.0 < area[0]["lon"] < 112.4 and 38.0 < area[0]["lat"] < 38.4  # a point inside the outline

    river = client.get("/api/places/", {"q": "滹沱"}).json()
    assert river[0]["kind"] == "river" and river[0]["lat"] == pytest.approx(38.5)

    feature = client.get("/api/places/", {"q": "水源地"}).json()
    assert feature == [{"kind": "feature", "name": "县城水源地", "detail": "滹沱河", "lon": 112.5, "lat": 38.5}]

    depot = client.get("/api/places/", {"q": "物资库"}).json()
    assert [(h["kind"], h["lon"], h["lat"]) for h in depot] == [("depot", 112.3, 38.6)]

    assert client.get("/api/places/", {"q": "  "}).json() == []


def test_english_names_are_searched_and_shown_in_english(api_for, duty_officer, places):
    client = api_for(duty_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    hits = client.get("/api/places/", {"q": "ceshi"}).json()
    assert [h["name"] for h in hits] == ["Ceshi County"]


def test_search_needs_a_signed_in_user(client, places):
    assert client.get("/api/places/", {"q": "测试"}).status_code in (401, 403)


def test_the_orientation_layer_names_outlines_rivers_features_and_depots(api_for, duty_officer, places):
    layer = api_for(duty_officer).get("/api/places/layer/").json()
    assert layer["type"] == "FeatureCollection"
    by_layer = {}
    for feature in layer["features"]:
        by_layer.setdefault(feature["properties"]["layer"], []).append(feature)
    assert {f["properties"]["name"] for f in by_layer["area"]} >= {"测试县"}
    assert by_layer["area"][0]["geometry"]["type"] in ("Polygon", "MultiPolygon")
    assert [f["properties"]["name"] for f in by_layer["river"]] == ["滹沱河"]
    assert {f["properties"]["name"] for f in by_layer["feature"]} == {"石坝", "县城水源地", "晋冀交界断面"}
    assert [f["properties"]["name"] for f in by_layer["depot"]] == ["测试应急物资库"]
