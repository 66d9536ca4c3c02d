"""The trace against hand computations (docs/domain.md, "Pollutant transport")."""

from __future__ import annotations

import math

import pytest

from backend.api import Unserviceable
from plans.models import Pollutant
from plans.tracing import trace

from .geodesy import lat_south_of, meridian_arc_m, parallel_arc_m

pytestmark = pytest.mark.django_db


def by_name(result, name):
    return next(e for e in result["downstream"] if e["name"] == name)


def test_the_worked_example_gives_6_44_mg_l(pollutants, meridian_river, make_feature):
    # 1,000 kg COD, Q 20, u 0.5, E 30, 20 km downstream → t 40,000 s, σ² 2.4e6, C ≈ 6.44 mg/L.
    spill_lat = 38.45
    make_feature(
        meridian_river,
        "receptor",
        112.5,
        lat_south_of(spill_lat, 20_000),
        name="Intake",
        receptor_type="drinking_water",
        serves="county",
        water_class="III",
    )
    result = trace(112.5, spill_lat, pollutant=Pollutant.objects.get(code="cod"), mass_kg=1000)
    intake = by_name(result, "Intake")
    assert result["river"]["code"] == "south"
    assert result["chainage_m"] == pytest.approx(meridian_arc_m(38.45, 38.5), rel=1e-3)
    assert intake["distance_m"] == pytest.approx(20_000, rel=1e-3)
    assert intake["arrival_hours"] == pytest.approx(40_000 / 3600, rel=1e-3)
    assert intake["peak_mg_l"] == pytest.approx(6.44, rel=0.01)
    assert intake["front_hours"] == pytest.approx((40_000 - 2 * math.sqrt(2.4e6) / 0.5) / 3600, rel=1e-3)
    assert intake["limit_mg_l"] == 20
    assert intake["exceeds"] is False


def test_it_applies_first_order_decay(pollutants, meridian_river, make_feature):
    make_feature(
        meridian_river, "section", 112.5, lat_south_of(38.45, 20_000), name="S", level="national", water_class="II"
    )
    ammonia = Pollutant.objects.get(code="nh3n")  # k = 0.1 per day
    section = by_name(trace(112.5, 38.45, pollutant=ammonia, mass_kg=100), "S")
    expected = 1e5 / (40 * math.sqrt(2 * math.pi * 2.4e6)) * math.exp(-0.1 * 40_000 / 86_400)
    assert section["peak_mg_l"] == pytest.approx(expected, rel=0.01)
    assert section["limit_mg_l"] == 0.5
    assert section["exceeds"] is True


def test_it_gives_no_concentration_near_the_spill_or_without_mass(pollutants, meridian_river, make_feature):
    make_feature(
        meridian_river, "section", 112.5, lat_south_of(38.45, 400), name="Near", level="county", water_class="III"
    )
    make_feature(
        meridian_river, "section", 112.5, lat_south_of(38.45, 5_000), name="Far", level="county", water_class="III"
    )
    cod = Pollutant.objects.get(code="cod")
    with_mass = trace(112.5, 38.45, pollutant=cod, mass_kg=10)
    assert by_name(with_mass, "Near")["peak_mg_l"] is None
    assert by_name(with_mass, "Near")["exceeds"] is None
    assert by_name(with_mass, "Far")["peak_mg_l"] > 0
    without = trace(112.5, 38.45, pollutant=cod)
    assert by_name(without, "Far")["peak_mg_l"] is None
    assert by_name(without, "Far")["limit_mg_l"] == 20
    assert by_name(without, "Far")["exceeds"] is None


def test_it_lists_only_what_lies_below_the_spill_in_order(meridian_river, make_feature):
    make_feature(meridian_river, "section", 112.5, 38.48, name="Above", level="county", water_class="III")
    make_feature(meridian_river, "space", 112.5, 38.1, name="Dam", space_type="dam", setup_minutes=60)
    make_feature(meridian_river, "risk_source", 112.5, 38.3, name="Plant", source_type="enterprise")
    result = trace(112.5, 38.45)
    assert [e["name"] for e in result["downstream"]] == ["Plant", "Dam"]
    assert by_name(result, "Dam")["limit_mg_l"] is None


def test_it_follows_the_outlet_through_a_confluence(pollutants, meridian_river, make_river, make_feature):
    # Tributary east along 38.3 N into the meridian river; u 0.25, Q 2, E 10 on the tributary.
    make_river(
        "east",
        [(112.0, 38.3), (112.25, 38.3), (112.5, 38.3)],
        velocity=0.25,
        flow=2,
        dispersion=10,
        outlet=meridian_river,
    )
    make_feature(
        meridian_river,
        "receptor",
        112.5,
        38.1,
        name="Boundary",
        receptor_type="boundary",
        boundary="prefecture",
        water_class="III",
    )
    make_feature(
        meridian_river, "section", 112.5, 38.4, name="Upstream of confluence", level="county", water_class="III"
    )
    result = trace(112.1, 38.3, pollutant=Pollutant.objects.get(code="cod"), mass_kg=2000)

    l1 = parallel_arc_m(38.3, 112.1, 112.5)  # rest of the tributary
    l2 = meridian_arc_m(38.1, 38.3)  # on the main river from the confluence
    t1, t2 = l1 / 0.25, l2 / 0.5
    variance = 2 * 10 * t1 + 2 * 30 * t2
    expected_peak = 2e6 / ((20 / 0.5) * math.sqrt(2 * math.pi * variance))

    names = [e["name"] for e in result["downstream"]]
    assert names == ["South", "Boundary"]  # the confluence, then the receptor; not the section above it
    confluence, boundary = result["downstream"]
    assert confluence["kind"] == "confluence"
    assert confluence["id"] == meridian_river.id
    assert confluence["river"] == "south"
    assert confluence["distance_m"] == pytest.approx(l1, rel=1e-3)
    assert confluence["arrival_hours"] == pytest.approx(t1 / 3600, rel=1e-3)
    assert boundary["river"] == "south"
    assert boundary["distance_m"] == pytest.approx(l1 + l2, rel=1e-3)
    assert boundary["arrival_hours"] == pytest.approx((t1 + t2) / 3600, rel=1e-3)
    assert boundary["peak_mg_l"] == pytest.approx(expected_peak, rel=0.01)
    assert boundary["front_hours"] == pytest.approx((t1 + t2 - 2 * math.sqrt(variance) / 0.5) / 3600, rel=1e-3)


def test_overrides_change_the_hydraulics_of_one_river(pollutants, meridian_river, make_feature):
    make_feature(
        meridian_river, "section", 112.5, lat_south_of(38.45, 20_000), name="S", level="county", water_class="III"
    )
    flood = trace(
        112.5,
        38.45,
        pollutant=Pollutant.objects.get(code="cod"),
        mass_kg=1000,
        overrides={"south": {"velocity_ms": 1.0, "flow_m3s": 80}},
    )
    section = by_name(flood, "S")
    # t = 20,000 s, σ² = 2·30·20,000 = 1.2e6, A = 80 m².
    assert section["arrival_hours"] == pytest.approx(20_000 / 3600, rel=1e-3)
    assert section["peak_mg_l"] == pytest.approx(1e6 / (80 * math.sqrt(2 * math.pi * 1.2e6)), rel=0.01)


def test_it_recommends_the_first_space_ready_before_the_front_above_the_threat(
    pollutants, meridian_river, make_feature
):
    spill = 38.45
    at = {km: lat_south_of(spill, km * 1000) for km in (2, 6, 10, 14, 30)}
    # Front at 2 km: (4,000 − 2·√(2·30·4,000)/0.5)/3600 ≈ 0.57 h → a 2-hour set-up is too slow.
    make_feature(meridian_river, "space", 112.5, at[2], name="Too slow", space_type="sluice", setup_minutes=120)
    # Front at 6 km: (12,000 − 2·√720,000/0.5)/3600 ≈ 2.39 h → a 60-minute set-up is ready.
    make_feature(meridian_river, "space", 112.5, at[6], name="Ready", space_type="dam", setup_minutes=60)
    make_feature(
        meridian_river,
        "receptor",
        112.5,
        at[10],
        name="Intake",
        receptor_type="drinking_water",
        serves="township",
        water_class="II",
    )
    make_feature(meridian_river, "space", 112.5, at[14], name="Below", space_type="pond", setup_minutes=10)
    cod = Pollutant.objects.get(code="cod")

    # 3 t at 10 km: 3e6 / (40·√(2π·1.2e6)) ≈ 27.3 mg/L > 15 (class II).
    result = trace(112.5, spill, pollutant=cod, mass_kg=3000)
    assert by_name(result, "Intake")["peak_mg_l"] == pytest.approx(27.3, rel=0.01)
    assert by_name(result, "Intake")["exceeds"] is True
    assert result["recommended_space"]["name"] == "Ready"
    assert result["recommended_space"] == by_name(result, "Ready")

    # Without a mass the first receptor is the one to protect: still "Ready".
    assert trace(112.5, spill)["recommended_space"]["name"] == "Ready"


def test_no_space_is_recommended_when_none_is_ready_above_the_threat(pollutants, meridian_river, make_feature):
    spill = 38.45
    make_feature(
        meridian_river,
        "space",
        112.5,
        lat_south_of(spill, 2000),
        name="Too slow",
        space_type="sluice",
        setup_minutes=120,
    )
    make_feature(
        meridian_river,
        "receptor",
        112.5,
        lat_south_of(spill, 4000),
        name="Intake",
        receptor_type="drinking_water",
        water_class="II",
    )
    make_feature(
        meridian_river, "space", 112.5, lat_south_of(spill, 8000), name="Below", space_type="pond", setup_minutes=10
    )
    # 3 t at 4 km: ≈ 43 mg/L, over the class II limit; the only ready space lies below the intake.
    result = trace(112.5, spill, pollutant=Pollutant.objects.get(code="cod"), mass_kg=3000)
    assert by_name(result, "Intake")["exceeds"] is True
    assert result["recommended_space"] is None
    # A mass too small to threaten the intake leaves any ready space worth recommending.
    assert trace(112.5, spill, pollutant=Pollutant.objects.get(code="cod"), mass_kg=1)["recommended_space"]["name"] == (
        "Below"
    )


def test_features_without_their_kind_attributes_are_traced(pollutants, meridian_river, make_feature):
    """A receptor without a water class has no limit; a space known only by its set-up time and
    capacity is still recommended; a section without level or class is listed."""
    spill = 38.45
    make_feature(meridian_river, "section", 112.5, lat_south_of(spill, 5_000), name="Section")
    make_feature(meridian_river, "space", 112.5, lat_south_of(spill, 10_000), name="Space", setup_minutes=30)
    make_feature(meridian_river, "receptor", 112.5, lat_south_of(spill, 20_000), name="Receptor")
    make_feature(meridian_river, "receptor", 112.5, lat_south_of(spill, 25_000), name="Intake", water_class="III")
    make_feature(meridian_river, "risk_source", 112.5, lat_south_of(spill, 30_000), name="Works")
    result = trace(112.5, spill, pollutant=Pollutant.objects.get(code="cod"), mass_kg=5000)
    assert [e["name"] for e in result["downstream"]] == ["Section", "Space", "Receptor", "Intake", "Works"]
    receptor, intake = by_name(result, "Receptor"), by_name(result, "Intake")
    assert receptor["peak_mg_l"] > 0 and receptor["limit_mg_l"] is None and receptor["exceeds"] is None
    assert by_name(result, "Section")["limit_mg_l"] is None
    assert intake["limit_mg_l"] == 20 and intake["exceeds"] is True
    assert result["recommended_space"]["name"] == "Space"
    assert result["recommended_space"]["setup_minutes"] == 30
    # Without a mass the first receptor, with no water class, is the threat; the space lies above it.
    assert trace(112.5, spill)["recommended_space"]["name"] == "Space"


def test_a_point_far_from_every_river_is_unserviceable(meridian_river):
    with pytest.raises(Unserviceable):
        trace(112.53, 38.3)  # ≈ 2.6 km east of the river
    assert trace(112.52, 38.3)["snap_distance_m"] == pytest.approx(parallel_arc_m(38.3, 112.5, 112.52), rel=1e-2)


def test_a_trace_writes_nothing_and_needs_few_queries(pollutants, meridian_river, make_river, make_feature):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    east = make_river("east", [(112.0, 38.3), (112.5, 38.3)], outlet=meridian_river)
    make_river("north", [(112.2, 38.5), (112.2, 38.3)], outlet=east)
    for lat in (38.45, 38.35, 38.2, 38.1):
        make_feature(meridian_river, "section", 112.5, lat, level="county", water_class="III")
    cod = Pollutant.objects.get(code="cod")
    with CaptureQueriesContext(connection) as queries:
        result = trace(112.2, 38.45, pollutant=cod, mass_kg=100)
    assert [e["kind"] for e in result["downstream"]] == ["confluence", "confluence", "section", "section"]
    # Snap, outlet chain, features, and the areas the path runs through (computed boundary
    # crossings, plans/boundaries.py): the same four queries however long the path.
    assert len(queries) == 4
    assert not any(q["sql"].split()[0].upper() in ("INSERT", "UPDATE", "DELETE") for q in queries)
