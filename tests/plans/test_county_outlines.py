"""The plans maps draw Xinzhou's 14 county outlines (real ones: tests/directory/test_areas.py)."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from backend.directory import demo as directory_demo
from plans import demo

pytestmark = pytest.mark.django_db


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
