"""The demo data loads, is plausible, and loads again without duplicating anything."""

from __future__ import annotations

import pytest

from backend.directory import demo as directory_demo
from plans import demo
from plans.models import ResponsePlan, River, RiverFeature
from plans.tracing import trace

pytestmark = pytest.mark.django_db


def test_the_demo_loads_twice_and_is_plausible():
    directory_demo.load()
    demo.load()
    counts = (River.objects.count(), RiverFeature.objects.count(), ResponsePlan.objects.count())
    demo.load()
    assert (River.objects.count(), RiverFeature.objects.count(), ResponsePlan.objects.count()) == counts
    assert set(River.objects.values_list("code", flat=True)) == {"fen", "hutuo", "muma", "sanggan", "yellow"}

    for river in River.objects.all():
        xmin, ymin, xmax, ymax = river.geometry.extent
        # Xinzhou and the first stretch beyond it (黄河 down to 兴县, 汾河 to its reservoir).
        assert 110.7 <= xmin and xmax <= 114.0 and 38.0 <= ymin and ymax <= 39.7, river.code
        assert river.features.filter(kind="section").count() >= 2
        plan = river.plans.get(status="approved")
        assert set(plan.task_templates.values_list("department__code", flat=True)) >= {
            "environment",
            "police",
            "fire",
            "emergency",
            "transport",
            "water",
            "meteorology",
        }
        assert plan.measures.exists()
        # Placed on the course; on 黄河 (the provincial line) on the Shanxi bank.
        assert max(river.features.values_list("offset_m", flat=True)) < (1_500 if river.code == "yellow" else 1), river
        assert plan.task_templates.filter(department__code="water", text__contains="停止取水").exists()

    muma = River.objects.get(code="muma")
    assert muma.outlet.code == "hutuo" and muma.confluence_chainage_m > 0
    border = RiverFeature.objects.get(kind="receptor", boundary="province", river__code="hutuo")
    assert (border.boundary, border.downstream_jurisdiction.code) == ("province", "ext-hebei")
    assert RiverFeature.objects.filter(receptor_type="drinking_water").exclude(serves="").count() >= 4

    # A spill on the 牧马河 reaches the 滹沱河 and, eventually, the Hebei border.
    start = muma.geometry.coords[5]
    result = trace(*start)
    kinds = [(e["kind"], e["river"]) for e in result["downstream"]]
    assert ("confluence", "hutuo") in kinds
    assert result["downstream"][-1]["name"] == "滹沱河晋冀省界断面"
