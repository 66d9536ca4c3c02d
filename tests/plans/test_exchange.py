"""import_rivers / export_rivers: a QGIS-style round trip, and all-or-nothing imports."""

from __future__ import annotations

import json
import re

import pytest
from django.core.management import CommandError, call_command

from plans.models import River

from .geodesy import meridian_arc_m

pytestmark = pytest.mark.django_db


def collection(*features):
    return {"type": "FeatureCollection", "name": "rivers", "features": list(features)}


def feature(code, coords, outlet=None, multi=False, **props):
    geometry = (
        {"type": "MultiLineString", "coordinates": [coords]} if multi else {"type": "LineString", "coordinates": coords}
    )
    properties = {"fid": 7, "code": code, "name": code, "velocity_ms": 0.5, "flow_m3s": 10, "dispersion_m2s": 20}
    return {"type": "Feature", "geometry": geometry, "properties": {**properties, "outlet": outlet, **props}}


def write(tmp_path, data):
    path = tmp_path / "rivers.geojson"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


def test_it_imports_a_tributary_listed_before_its_outlet(tmp_path):
    data = collection(
        feature("east", [[112.0, 38.3], [112.5, 38.3]], outlet="south", multi=True),
        feature("south", [[112.5, 38.5], [112.5, 38.0]]),
    )
    call_command("import_rivers", write(tmp_path, data))
    east = River.objects.get(code="east")
    assert east.outlet.code == "south"
    assert east.confluence_chainage_m == pytest.approx(meridian_arc_m(38.3, 38.5), rel=1e-4)


def test_export_then_import_is_a_round_trip(tmp_path, meridian_river, make_river):
    make_river("east", [(112.0, 38.3), (112.5, 38.3)], outlet=meridian_river)
    out = tmp_path / "export.geojson"
    call_command("export_rivers", output=str(out))
    exported = json.loads(out.read_text(encoding="utf-8"))
    assert {f["properties"]["code"] for f in exported["features"]} == {"south", "east"}
    River.objects.all().delete()
    call_command("import_rivers", str(out))
    again = collection(*json.loads(out.read_text(encoding="utf-8"))["features"])
    assert River.objects.get(code="east").outlet.code == "south"
    call_command("export_rivers", output=str(out))
    assert [f["properties"] for f in json.loads(out.read_text(encoding="utf-8"))["features"]] == [
        f["properties"] for f in again["features"]
    ]


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (
            feature("bad", [[112.0, 38.0], [112.1, 38.0]], velocity_ms="fast"),
            "feature index 1 (#2 in the file): velocity_ms",
        ),
        (feature("bad", [[112.0, 38.0]]), "feature index 1 (#2 in the file): geometry"),
        (feature("bad", [[112.0, 38.0], [112.1, 38.0]], outlet="nile"), "feature index 1 (#2 in the file): outlet"),
        (
            {**feature("bad", []), "geometry": {"type": "Point", "coordinates": [112, 38]}},
            "feature index 1 (#2 in the file): geometry",
        ),
        (feature("bad", [[112.0, 38.0], [112.1, 38.0]], flow_m3s=-3), "feature index 1 (#2 in the file): flow_m3s"),
        (feature("bad", [[112.0, 38.0], [212.1, 38.0]]), "feature index 1 (#2 in the file): geometry"),
        # A malformed coordinate (one number; a text), with or without Z elsewhere in the line.
        (feature("bad", [[112.0, 38.0, 5], [112.1]]), "feature index 1 (#2 in the file): geometry"),
        (feature("bad", [[112.0, 38.0], [112.1, "north"]], multi=True), "feature index 1 (#2 in the file): geometry"),
    ],
)
def test_a_bad_feature_is_named_and_nothing_is_imported(tmp_path, meridian_river, bad, message):
    good = feature("south", [[112.6, 38.5], [112.6, 38.0]], name="changed")
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("import_rivers", write(tmp_path, collection(good, bad)))
    meridian_river.refresh_from_db()
    assert meridian_river.name == "South"  # the good feature's update was rolled back too
    assert not River.objects.filter(code="bad").exists()


def test_lines_with_z_are_imported_as_2d(tmp_path):
    """QGIS exports often carry an elevation: it is dropped, the course is stored 2-D."""
    data = collection(
        feature("east", [[112.0, 38.3, 1210.5], [112.5, 38.3, 1105.0]], outlet="south", multi=True),
        feature("south", [[112.5, 38.5, 1300], [112.5, 38.0, 1000]]),
    )
    call_command("import_rivers", write(tmp_path, data))
    east, south = River.objects.get(code="east"), River.objects.get(code="south")
    assert not east.geometry.hasz and not south.geometry.hasz
    assert south.geometry.coords == ((112.5, 38.5), (112.5, 38.0))
    assert south.length_m == pytest.approx(meridian_arc_m(38.0, 38.5), rel=1e-4)
    assert east.confluence_chainage_m == pytest.approx(meridian_arc_m(38.3, 38.5), rel=1e-4)
