"""Computed boundary crossings: the trace reports every administrative line the plume reaches,
from the real outlines (backend/directory/data/areas.geojson), with the bureau to notify."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point

from backend.directory import demo as directory_demo
from backend.directory.models import AdminArea
from plans import boundaries, demo
from plans.models import Pollutant, River, RiverAreaStretch, RiverFeature
from plans.tracing import trace

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(db):
    directory_demo.load()
    demo.load()


def _at(name: str) -> tuple[float, float]:
    return RiverFeature.objects.get(name=name).location.coords


def _codes(entries):
    return [d["code"] for d in entries]


def test_hutuo_crosses_into_yangquan_then_hebei(demo_world):
    cod = Pollutant.objects.get(code="cod")
    answer = trace(*_at("定襄县城取水口"), pollutant=cod, mass_kg=1_000_000)
    crossings = answer["boundary_crossings"]
    higher = [c for c in crossings if c["level"] != "county"]
    assert [(c["level"], c["to_area"]["name"]) for c in higher][:2] == [
        ("prefecture", "阳泉市"),
        ("province", "河北省"),
    ]
    to_yangquan, to_hebei = higher[:2]
    assert to_yangquan["from_area"]["name"] == "忻州市" and to_hebei["from_area"]["name"] == "山西省"
    assert _codes(to_yangquan["notify"]) == ["ext-yangquan"]
    assert _codes(to_hebei["notify"]) == ["ext-hebei", "ext-shijiazhuang"]
    assert 0 < to_yangquan["distance_m"] < to_hebei["distance_m"]
    assert 0 < to_yangquan["arrival_hours"] < to_hebei["arrival_hours"]
    assert to_hebei["front_hours"] < to_hebei["arrival_hours"]
    assert all(c["river"] == "hutuo" for c in crossings)
    # The county line 定襄 → 五台 comes first, with nobody outside to notify.
    first = crossings[0]
    assert (first["level"], first["from_area"]["name"], first["to_area"]["name"]) == ("county", "定襄县", "五台县")
    assert first["notify"] == []
    # In downstream order, each line once.
    assert [c["distance_m"] for c in crossings] == sorted(c["distance_m"] for c in crossings)
    assert len({c["to_area"]["code"] for c in crossings}) == len(crossings)
    # The numbers are the plume's, as the downstream entries compute them: the hand-placed
    # 晋冀 section lies just above the computed line (within 盂县), so it is reached earlier.
    section = next(e for e in answer["downstream"] if e["name"] == "滹沱河晋冀省界断面")
    assert section["distance_m"] < to_hebei["distance_m"] < section["distance_m"] + 5_000
    assert section["arrival_hours"] < to_hebei["arrival_hours"]
    assert to_hebei["limit_mg_l"] == cod.limit_iii
    assert to_hebei["exceeds"] is (to_hebei["peak_mg_l"] > cod.limit_iii)


def test_basis_follows_the_mass(demo_world):
    point = _at("定襄县城取水口")
    cod = Pollutant.objects.get(code="cod")
    potential = trace(*point, pollutant=cod)["boundary_crossings"]
    assert potential and {c["basis"] for c in potential} == {"potential"}
    assert {c["peak_mg_l"] for c in potential} == {None}
    heavy = trace(*point, pollutant=cod, mass_kg=1_000_000)["boundary_crossings"]
    assert {c["basis"] for c in heavy} == {"predicted"} and all(c["exceeds"] for c in heavy)
    light = trace(*point, pollutant=cod, mass_kg=1)["boundary_crossings"]
    assert {c["basis"] for c in light} == {None} and not any(c["exceeds"] for c in light)


def test_a_pollutant_without_a_limit_is_predicted_whatever_the_mass(demo_world):
    unlimited = Pollutant.objects.filter(limit_iii__isnull=True).first()
    if unlimited is None:
        pytest.skip("the catalogue has no pollutant without a class III limit")
    crossings = trace(*_at("定襄县城取水口"), pollutant=unlimited, mass_kg=1)["boundary_crossings"]
    assert crossings and {c["basis"] for c in crossings} == {"predicted"}
    assert {c["exceeds"] for c in crossings} == {None}


def test_a_spill_into_the_yellow_river_crosses_the_province_line_at_once(demo_world):
    answer = trace(*_at("河曲县城取水口"), pollutant=Pollutant.objects.get(code="cod"))
    crossings = answer["boundary_crossings"]
    first = crossings[0]
    assert first["level"] == "province" and first["distance_m"] == 0 and first["arrival_hours"] == 0
    assert first["from_area"]["name"] == "山西省"
    # Here Shaanxi (府谷, 榆林) holds the west bank.
    assert first["to_area"]["name"] == "陕西省"
    assert _codes(first["notify"]) == ["ext-shaanxi", "ext-yulin"]
    assert first["basis"] == "potential"
    # Downstream, 兴县 is in 吕梁: a prefecture line on Xinzhou's own bank.
    lvliang = next(c for c in crossings if c["to_area"]["name"] == "吕梁市")
    assert lvliang["level"] == "prefecture" and lvliang["from_area"]["name"] == "忻州市"
    assert _codes(lvliang["notify"]) == ["ext-lvliang"]
    assert lvliang["distance_m"] > 0
    # Shaanxi is reported once, though the river runs along it for 100 km.
    assert [c["to_area"]["name"] for c in crossings].count("陕西省") == 1


def test_a_spill_above_hequ_meets_inner_mongolia_first(demo_world):
    crossings = trace(*_at("偏关县化工企业"))["boundary_crossings"]
    provinces = [c["to_area"]["name"] for c in crossings if c["level"] == "province"]
    assert provinces[:2] == ["内蒙古自治区", "陕西省"]
    assert crossings[0]["distance_m"] == 0
    assert "ext-neimenggu" in _codes(crossings[0]["notify"])


def test_fen_and_sanggan_leave_for_taiyuan_and_shuozhou(demo_world):
    fen = trace(*_at("静乐县城取水口"))["boundary_crossings"]
    assert [(c["level"], c["to_area"]["name"], _codes(c["notify"])) for c in fen] == [
        ("prefecture", "太原市", ["ext-taiyuan"])
    ]
    sanggan = trace(*_at("阳方口镇取水口"))["boundary_crossings"]
    assert [(c["level"], c["to_area"]["name"]) for c in sanggan][0] == ("prefecture", "朔州市")
    assert _codes(sanggan[0]["notify"]) == ["ext-shuozhou"]


def test_a_tributary_reports_the_lines_of_the_river_it_joins(demo_world):
    crossings = trace(*_at("忻府区工业园区污水处理厂"))["boundary_crossings"]
    assert [c["river"] for c in crossings][-1] == "hutuo"
    assert [c["to_area"]["name"] for c in crossings if c["level"] != "county"][:2] == ["阳泉市", "河北省"]


def test_hand_placed_boundary_features_stay_in_the_downstream_entries(demo_world):
    answer = trace(*_at("定襄县城取水口"))
    names = [e["name"] for e in answer["downstream"]]
    assert "滹沱河忻阳交界断面" in names and "滹沱河晋冀省界断面" in names


def test_stretches_follow_the_outlines_when_they_change(demo_world):
    hutuo = River.objects.get(code="hutuo")
    assert RiverAreaStretch.objects.filter(river=hutuo).exists()
    AdminArea.objects.update(boundary=None)
    boundaries.locate_all_rivers()
    assert not RiverAreaStretch.objects.exists()
    assert trace(*_at("定襄县城取水口"))["boundary_crossings"] == []
    directory_demo.load()  # sends areas_changed: every river is located again
    assert RiverAreaStretch.objects.filter(river=hutuo).exists()


def test_a_river_outside_every_outline_has_no_crossings(make_river, pollutants):
    make_river("far", [(100.0, 30.0), (100.0, 29.5)])
    assert trace(100.0, 29.8)["boundary_crossings"] == []


def _county_stems() -> dict[str, str]:
    """{stem as feature names use it: county code}, e.g. 保德 for 保德县; 代县 stays whole."""
    stems = {}
    for code, name in AdminArea.objects.filter(level="county").values_list("code", "name"):
        stems[name if len(name) <= 2 else name[:-1]] = code
    return stems


def test_every_demo_feature_lies_in_the_county_it_names(demo_world):
    stems = _county_stems()
    outlines = {a.code: a.boundary for a in AdminArea.objects.filter(level="county")}
    checked = 0
    for feature in RiverFeature.objects.all():
        named = [code for stem, code in stems.items() if stem in feature.name]
        for code in named:
            assert outlines[code].contains(feature.location), (feature.name, feature.location.coords)
            checked += 1
    assert checked >= 25
    # The drill's tanker overturns on the 108 road in 原平 (drills/demo.py).
    from drills.demo import SCENARIO_FRACTION

    spill = River.objects.get(code="hutuo").geometry.interpolate_normalized(SCENARIO_FRACTION)
    assert outlines["140981"].contains(Point(spill.x, spill.y, srid=4326))


def test_the_trace_api_answers_with_the_crossings(demo_world, api_for, make_user):
    from backend.directory import roles

    client = api_for(make_user(roles.DUTY_OFFICER, username="duty-geo"))
    lon, lat = _at("定襄县城取水口")
    answer = client.post(
        "/api/trace/",
        {"location": {"type": "Point", "coordinates": [lon, lat]}, "pollutant": "cod", "mass_kg": 500},
        format="json",
    )
    assert answer.status_code == 200, answer.content
    crossings = answer.json()["boundary_crossings"]
    assert [c["to_area"]["code"] for c in crossings if c["level"] != "county"][:2] == ["140300", "130000"]
    assert set(crossings[0]) == {
        "level", "from_area", "to_area", "river", "distance_m", "arrival_hours", "front_hours",
        "peak_mg_l", "limit_mg_l", "exceeds", "basis", "notify",
    }  # fmt: skip


def _box(x0, y0, x1, y1):
    from django.contrib.gis.geos import MultiPolygon, Polygon

    return MultiPolygon(Polygon.from_bbox((x0, y0, x1, y1)), srid=4326)


def test_a_crossing_is_placed_within_a_sample_of_the_line_and_follows_the_course(make_river, pollutants):
    from django.contrib.gis.geos import LineString

    from backend.directory.models import Department
    from plans import geo, services

    AdminArea.objects.create(code="910000", name="西省", level="province", boundary=_box(112.0, 38.0, 112.5, 39.0))
    east = AdminArea.objects.create(
        code="920000", name="东省", level="province", boundary=_box(112.5, 38.0, 113.0, 39.0)
    )
    Department.objects.create(code="ext-east", name="东省生态环境厅", name_en="East", kind="external", area=east)
    river = make_river("across", [(112.1, 38.5), (112.9, 38.5)])
    expected = geo.length_m(LineString([(112.1, 38.5), (112.5, 38.5)], srid=4326))
    crossings = trace(112.2, 38.5)["boundary_crossings"]
    assert [(c["level"], c["from_area"]["name"], c["to_area"]["name"]) for c in crossings] == [
        ("province", "西省", "东省")
    ]
    spill_chainage = geo.length_m(LineString([(112.1, 38.5), (112.2, 38.5)], srid=4326))
    assert abs(crossings[0]["distance_m"] - (expected - spill_chainage)) <= boundaries.SAMPLE_M
    assert crossings[0]["notify"] == [{"code": "ext-east", "name": "东省生态环境厅"}]
    # A spill below the line has nothing left to cross.
    assert trace(112.7, 38.5)["boundary_crossings"] == []

    # The course moves (now it starts east of the line and flows west): the stretches follow.
    services.save_river(river=river, geometry=LineString([(112.9, 38.6), (112.1, 38.6)], srid=4326))
    crossings = trace(112.8, 38.6)["boundary_crossings"]
    assert [(c["from_area"]["name"], c["to_area"]["name"]) for c in crossings] == [("东省", "西省")]
    assert crossings[0]["notify"] == []  # 西省 has no bureau in the directory
