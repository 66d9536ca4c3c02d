"""The plans' distances come from the environment (documented in .env.example) and are honoured."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings

from .geodesy import parallel_arc_m
from .test_api import point_feature, river_feature

ROOT = Path(__file__).resolve().parents[2]


def settings_seen(**env) -> str:
    clean = {k: v for k, v in os.environ.items() if k not in {"TRACE_MAX_SNAP_M", "PLANS_MAX_OFFSET_M"}}
    clean.update({"DJANGO_SETTINGS_MODULE": "backend.settings.test", **env})
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.TRACE_MAX_SNAP_M, settings.PLANS_MAX_OFFSET_M)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


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
