"""The directory demo gives Xinzhou's 14 county-level units approximate outlines (Voronoi cells
of the county seats clipped to a rough prefecture polygon), and the plans maps draw them."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.gis.geos import Point
from django.test import Client

from backend.directory import demo as directory_demo
from backend.directory.models import AdminArea
from plans import demo

pytestmark = pytest.mark.django_db


def test_every_county_gets_a_valid_outline_and_a_reload_changes_nothing():
    directory_demo.load()
    counties = AdminArea.objects.filter(level=AdminArea.Level.COUNTY, parent__code="140900")
    assert counties.count() == 14
    assert not counties.filter(boundary__isnull=True).exists()
    prefecture = AdminArea.objects.get(code="140900").boundary
    assert prefecture.valid
    total = 0.0
    for county in counties:
        outline = county.boundary
        assert outline.valid and outline.geom_type == "MultiPolygon" and outline.area > 0, county.name
        assert outline.contains(Point(*directory_demo.COUNTY_SEATS[county.code], srid=4326)), county.name
        xmin, ymin, xmax, ymax = outline.extent
        assert 110.9 <= xmin and xmax <= 114.0 and 38.1 <= ymin and ymax <= 39.7, county.name
        total += outline.area
    # They tile the prefecture: no gaps, no overlaps.
    assert total == pytest.approx(prefecture.area, rel=1e-9)
    for a in counties:
        for b in counties:
            if a.pk < b.pk:
                assert a.boundary.intersection(b.boundary).area < 1e-9, (a.name, b.name)

    before = {area.code: area.boundary.ewkb for area in AdminArea.objects.all() if area.boundary}
    directory_demo.load()
    after = {area.code: area.boundary.ewkb for area in AdminArea.objects.all() if area.boundary}
    assert after == before and AdminArea.objects.count() == 16


def test_the_plans_maps_draw_the_county_outlines(departments, viewer):
    directory_demo.load()
    demo.load()
    client = Client()
    client.force_login(viewer)
    for url in ("/plans/", "/plans/rivers/hutuo/"):
        page = client.get(url)
        assert page.status_code == 200
        areas = page.context["areas_geojson"]["features"]
        assert len(areas) == 14
        assert {f["properties"]["name"] for f in areas} >= {"忻府区", "五台县", "河曲县", "原平市"}
        assert all(f["geometry"]["type"] == "MultiPolygon" for f in areas)
        # The page carries them to the map script (json_script).
        embedded = re.search(r'<script id="plans-areas" type="application/json">(.*?)</script>', page.content.decode())
        assert len(json.loads(embedded.group(1))["features"]) == 14
