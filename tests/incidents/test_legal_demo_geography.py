"""The legal record on the demo's real geography, end to end: an incident opened on 滹沱河 above
the Xinzhou–Yangquan line gets its level reasons and its adjacent-area notices from the computed
crossings of the real outlines (backend/directory/data/areas.geojson), not from hand-built trace
answers: the same-level notice goes to 阳泉 (Xinzhou's neighbour on this river) before Hebei, and
a spill into 黄河 is cross-province from the start."""

from __future__ import annotations

import pytest
from django.utils import timezone

from backend.directory import demo as directory_demo
from backend.incidents import services as incidents
from backend.incidents.models import Task
from plans import demo as plans_demo
from plans.models import Pollutant, RiverFeature

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(db, role_groups):
    directory_demo.load()
    plans_demo.load()


def _open(duty_officer, place: str, pollutant: str, mass_kg: float | None):
    return incidents.open_incident(
        title="罐车侧翻泄漏",
        kind="water",
        location=RiverFeature.objects.get(name=place).location,
        pollutant=Pollutant.objects.get(code=pollutant),
        mass_kg=mass_kg,
        actor=duty_officer,
        now=timezone.now(),
    )


def _notices(incident) -> list[str]:
    tasks = Task.objects.filter(incident=incident, source="boundary").order_by("pk")  # created in downstream order
    return [t.text for t in tasks]


def test_hutuo_notifies_yangquan_first_then_hebei_and_proposes_both_governments(demo_world, duty_officer):
    incident = _open(duty_officer, "定襄县城取水口", "cod", 1_000_000)

    notices = _notices(incident)
    assert notices, "no adjacent-area notice"
    assert "阳泉" in notices[0]  # the same-level neighbour on this river comes first
    assert any("河北" in text for text in notices[1:])
    proposals = [t.text for t in Task.objects.filter(incident=incident, source="government")]
    assert any("阳泉市人民政府" in text for text in proposals)
    assert any("河北省人民政府" in text for text in proposals)
    # Cross-prefecture and cross-province reasons, predicted from a known mass.
    crossings = [r for r in incident.level_reasons if r["rule"].startswith("crossing_")]
    assert crossings and all(r["basis"] == "predicted" for r in crossings)
    assert incident.suggested_level <= 2


def test_without_a_mass_the_same_spill_is_only_a_potential_level(demo_world, duty_officer):
    incident = _open(duty_officer, "定襄县城取水口", "cod", None)

    assert all(r["basis"] == "confirmed" for r in incident.level_reasons)
    assert incident.suggested_level == 4
    assert incident.potential_level <= 2
    assert any(r["basis"] == "potential" for r in incident.potential_reasons)


def test_a_spill_into_the_yellow_river_is_cross_province_from_the_start(demo_world, duty_officer):
    spill = RiverFeature.objects.filter(river__code="yellow").order_by("chainage_m").first()
    incident = _open(duty_officer, spill.name, "petroleum", 5_000)

    reasons = [r for r in incident.level_reasons if r["rule"] == "crossing_province"]
    assert reasons and reasons[0]["arrival_hours"] < 0.1, incident.level_reasons
    assert incident.suggested_level <= 2
    assert any("省" in text for text in _notices(incident))
