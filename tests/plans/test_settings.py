"""The plans' distances come from the environment (documented in .env.example) and are honoured."""

from __future__ import annotations

import pytest
from django.test import override_settings

from tests.support.settings_probe import ROOT, settings_in_fresh_process

from .geodesy import parallel_arc_m
from .test_api import point_feature, river_feature


def settings_seen(**env) -> str:
    seen = settings_in_fresh_process(["TRACE_MAX_SNAP_M", "PLANS_MAX_OFFSET_M"], env)
    return f"{float(seen['TRACE_MAX_SNAP_M'])} {float(seen['PLANS_MAX_OFFSET_M'])}"


def test_the_distances_are_read_from_the_environment():
    assert settings_seen() == "2000.0 10000.0"
    assert settings_seen(TRACE_MAX_SNAP_M="5000", PLANS_MAX_OFFSET_M="250") == "5000.0 250.0"


def test_they_are_documented_in_env_example():
    example = (ROOT / ".env.example").read_text(encoding="utf-8")
    assert "\nTRACE_MAX_SNAP_M=2000\n" in example and "\nPLANS_MAX_OFFSET_M=10000\n" in example


@pytest.fixture
def duty_api(api_for, duty_officer):
    return api_for(duty_officer)


# About 3 km east of the river along 112.5° E.
FAR_LON = 112.5343


@pytest.mark.django_db
def test_the_trace_honours_the_snap_distance(duty_api):
    assert parallel_arc_m(38.3, 112.5, FAR_LON) == pytest.approx(3000, rel=0.01)
    duty_api.post("/api/rivers/", river_feature(), format="json")
    body = {"location": {"type": "Point", "coordinates": [FAR_LON, 38.3]}}
    refused = duty_api.post("/api/trace/", body, format="json")
    assert refused.status_code == 422 and "2000" in refused.json()["detail"]
    with override_settings(TRACE_MAX_SNAP_M=5000):
        served = duty_api.post("/api/trace/", body, format="json")
    assert served.status_code == 200, served.json()
    assert served.json()["snap_distance_m"] == pytest.approx(3000, rel=0.01)


@pytest.mark.django_db
def test_features_honour_the_offset_distance(duty_api):
    duty_api.post("/api/rivers/", river_feature(), format="json")
    body = point_feature("space", 38.3, lon=FAR_LON, space_type="dam")
    assert duty_api.post("/api/river-features/", body, format="json").status_code == 201
    with override_settings(PLANS_MAX_OFFSET_M=1000):
        refused = duty_api.post("/api/river-features/", body, format="json")
    assert refused.status_code == 400 and "location" in refused.json()
