"""Fixtures of the plans tests: the pollutant catalogue and small hand-made river networks."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import LineString, Point

from plans import services


@pytest.fixture
def pollutants(db):
    services.seed_pollutants()


@pytest.fixture
def make_river(db):
    def make(code, coords, *, velocity=0.5, flow=20.0, dispersion=30.0, outlet=None, name=None):
        return services.save_river(
            code=code,
            name=name or code.title(),
            name_en=code.title(),
            geometry=LineString(coords, srid=4326),
            velocity_ms=velocity,
            flow_m3s=flow,
            dispersion_m2s=dispersion,
            outlet=outlet,
        )

    return make


@pytest.fixture
def make_feature(db):
    def make(river, kind, lon, lat, name=None, **fields):
        return services.save_feature(
            river=river, kind=kind, name=name or f"{kind} {lat:.3f}", location=Point(lon, lat, srid=4326), **fields
        )

    return make


@pytest.fixture
def meridian_river(make_river):
    """A river flowing due south along 112.5° E from 38.5° N to 38.0° N (u 0.5, Q 20, E 30)."""
    return make_river("south", [(112.5, 38.5), (112.5, 38.25), (112.5, 38.0)])


# The headless Chromium fixture of the browser suite, for the map test (module-scoped there).
from tests.browser.conftest import browser  # noqa: E402, F401
