"""Adjacent areas (issue 15; 《突发环境事件信息报告办法》第八条): the downstream notice goes to the
SAME-LEVEL bureau of the neighbouring area, from the trace's computed crossings and from the
hand-placed boundary sections, with a second task proposing that the own government notify the
neighbouring government."""

from __future__ import annotations

import pytest

from backend.directory import services as directory
from backend.directory.models import Department
from backend.incidents.services import opening
from plans.tracing import trace as real_trace

from .legal_crossings import HEBEI, YANGQUAN, crossing

pytestmark = pytest.mark.django_db


@pytest.fixture
def yangquan(departments):
    bureau = Department.objects.create(
        code="ext-yangquan", name="阳泉市生态环境局", name_en="Yangquan EEB", kind="external", jurisdiction="阳泉市"
    )
    directory.save_contact(department=bureau, name="郭亮", mobile="13900000088")
    return bureau


@pytest.fixture
def with_crossings(monkeypatch):
    """The real trace of the test river, plus the computed crossings given (their shape is the
    trace's answer; the outlines that compute them are the geo work's)."""

    def install(*crossings):
        def traced(*args, **kwargs):
            result = real_trace(*args, **kwargs)
            result["boundary_crossings"] = list(crossings)
            return result

        monkeypatch.setattr(opening, "run_trace", traced)

    return install


def notices(body):
    return [t for t in body["tasks"] if t["source"] == "boundary"]


def proposals(body):
    return [t for t in body["tasks"] if t["source"] == "government"]


def test_a_prefecture_crossing_is_notified_to_the_neighbouring_city_bureau(
    with_crossings, yangquan, open_water_incident
):
    with_crossings(
        crossing("prefecture", "potential", hours=30.0, notify=[{"code": "ext-yangquan", "name": "阳泉市生态环境局"}])
    )
    body = open_water_incident()
    first = notices(body)[0]  # downstream order: 阳泉 (30 h) before the hand-placed Hebei line (41 h)
    assert first["department"] == "environment"
    assert first["text"].startswith("通报下游：阳泉市生态环境局（忻州市—阳泉市交界，预计 30.0 小时到达）")
    assert "郭亮" in first["contact_hint"] and "+8613900000088" in first["contact_hint"]
    texts = [t["text"] for t in proposals(body)]
    assert texts[0].startswith("提请政府通报：建议忻州市人民政府通报阳泉市人民政府")
    assert any("河北省人民政府" in t for t in texts)
    assert body["potential_level"] == 2  # the crossing counts, as a potential reason without a mass
    assert {r["rule"] for r in body["potential_reasons"]} >= {"crossing_prefecture"}


def test_a_province_crossing_adds_the_provincial_department_once(with_crossings, yangquan, hebei, open_water_incident):
    with_crossings(
        crossing("prefecture", "potential", hours=30.0, notify=[{"code": "ext-yangquan", "name": "阳泉市生态环境局"}]),
        crossing(
            "province", "potential", from_area=YANGQUAN, to_area=HEBEI, hours=40.0,
            notify=[{"code": "ext-hebei", "name": "河北省生态环境厅"}],
        ),
    )  # fmt: skip
    body = open_water_incident()
    names = [t["text"].split("：")[1].split("（")[0] for t in notices(body)]
    # The hand-placed Shanxi–Hebei section names the same bureau: one notice, not two.
    assert names == ["阳泉市生态环境局", "河北省生态环境厅"]


def test_a_line_reached_below_the_limit_is_no_notice(with_crossings, yangquan, open_water_incident):
    with_crossings(crossing("prefecture", None, notify=[{"code": "ext-yangquan", "name": "阳泉市生态环境局"}]))
    body = open_water_incident(pollutant="cod", mass_kg=1)  # stays below every limit
    assert notices(body) == [] and proposals(body) == []


def test_a_hand_placed_boundary_still_counts_without_outlines(open_water_incident):
    body = open_water_incident()
    (notice,) = notices(body)
    assert notice["text"].startswith("通报下游：河北省生态环境厅（晋冀交界断面")
    (proposal,) = proposals(body)
    assert "建议忻州市人民政府通报河北省人民政府" in proposal["text"]
