"""County seats (directory/seats.py: cpca's county centres, GCJ-02 → WGS-84) in the place
search and the orientation layer: a seat is found by name, with a point inside its county."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point
from django.utils import translation

from backend.directory import demo as directory_demo
from backend.directory import seats
from backend.directory.models import AdminArea

pytestmark = pytest.mark.django_db


@pytest.fixture
def areas():
    directory_demo.load()


def test_every_county_of_xinzhou_has_its_seat_inside_its_outline(areas):
    counties = AdminArea.objects.filter(level="county", parent__code="140900")
    assert counties.count() == 14
    for county in counties:
        assert county.seat is not None, county
        assert county.boundary.contains(county.seat), county
    # 忻府区's seat is the city centre (WGS-84, ~1 km; tests/directory/test_areas.py uses the same point).
    assert AdminArea.objects.get(code="140902").seat.distance(Point(112.734, 38.416)) < 0.015


def test_loading_twice_changes_nothing(areas):
    before = dict(AdminArea.objects.filter(seat__isnull=False).values_list("code", "seat"))
    assert seats.load() == 14
    assert dict(AdminArea.objects.filter(seat__isnull=False).values_list("code", "seat")) == before


def test_the_search_finds_a_county_seat_by_name_inside_its_county(api_for, duty_officer, areas):
    hits = api_for(duty_officer).get("/api/places/", {"q": "定襄"}).json()
    seat = hits[0]
    assert (seat["kind"], seat["name"], seat["detail"]) == ("seat", "定襄县", "县城")
    county = AdminArea.objects.get(code="140921")
    assert county.boundary.contains(Point(seat["lon"], seat["lat"], srid=4326))
    # The seat is not the outline's middle: it is where the town is (晋昌镇, by the 滹沱河).
    assert ("area", "定襄县") in [(h["kind"], h["name"]) for h in hits]


def test_the_search_finds_a_seat_by_its_english_name(api_for, duty_officer, areas):
    client = api_for(duty_officer)
    with translation.override("en"):
        hits = client.get("/api/places/", {"q": "Wutai"}, HTTP_ACCEPT_LANGUAGE="en").json()
    assert hits[0]["kind"] == "seat"
    assert AdminArea.objects.get(code="140922").boundary.contains(Point(hits[0]["lon"], hits[0]["lat"], srid=4326))


def test_the_orientation_layer_names_each_county_at_its_seat(api_for, duty_officer, areas):
    layer = api_for(duty_officer).get("/api/places/layer/").json()
    points = {f["properties"]["name"]: f["geometry"] for f in layer["features"] if f["properties"]["layer"] == "seat"}
    assert len(points) == 14 and points["原平市"]["type"] == "Point"
    lon, lat = points["原平市"]["coordinates"]
    assert AdminArea.objects.get(code="140981").boundary.contains(Point(lon, lat, srid=4326))
