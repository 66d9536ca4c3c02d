"""The decision-grade trace (issue 14) against hand computations of docs/domain.md, version 2:
variance in time across reaches and confluences, interception counted from now, capacity,
threat from plans.threat, mixing length, seasons."""

from __future__ import annotations

import math
from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point
from django.test import override_settings
from django.utils import timezone

from plans import services
from plans.models import Pollutant, RiverReach
from plans.tracing import trace

from .geodesy import lat_south_of, parallel_arc_m

pytestmark = pytest.mark.django_db

SPILL = 38.45


def by_name(result, name):
    return next(e for e in result["downstream"] if e["name"] == name)


def lon_west_of(lat: float, lon: float, distance_m: float) -> float:
    return lon - distance_m / parallel_arc_m(lat, 0.0, 1.0)


def sigma_t(*legs):
    """σₜ for legs (length m, u, E): Σ 2·E·t/u², t = L/u."""
    return math.sqrt(sum(2 * e * (length / u) / u**2 for length, u, e in legs))


def peak(mass_kg, flow, *legs):
    return mass_kg * 1000 / (flow * math.sqrt(2 * math.pi) * sigma_t(*legs))


# --- 1. across a confluence the spread is carried in time -----------------------------------------


def test_the_one_reach_worked_example_still_gives_6_44_with_tail_and_volume(pollutants, meridian_river, make_feature):
    make_feature(meridian_river, "section", 112.5, lat_south_of(SPILL, 20_000), name="S", water_class="III")
    section = by_name(trace(112.5, SPILL, pollutant=Pollutant.objects.get(code="cod"), mass_kg=1000), "S")
    assert section["peak_mg_l"] == pytest.approx(6.44, rel=0.005)
    sig = math.sqrt(2.4e6) / 0.5  # σₜ = σₓ/u on one reach
    assert section["tail_hours"] == pytest.approx((40_000 + 2 * sig) / 3600, rel=1e-3)
    assert section["plume_volume_m3"] == pytest.approx(20 * 4 * sig, rel=1e-3)


def _confluence(make_river, make_feature, *, trib, main):
    """A tributary flowing east along 38.45 N into a meridian main river at 112.5 E; a receptor
    30 km below the confluence. `trib` and `main` are (Q, u, E)."""
    main_river = make_river("main", [(112.5, 38.5), (112.5, 38.0)], flow=main[0], velocity=main[1], dispersion=main[2])
    coords = [(round(112.0 + 0.025 * k, 3), 38.45) for k in range(21)]
    make_river("trib", coords, flow=trib[0], velocity=trib[1], dispersion=trib[2], outlet=main_river)
    make_feature(main_river, "section", 112.5, lat_south_of(38.45, 30_000), name="Below", water_class="III")
    return trace(lon_west_of(38.45, 112.5, 20_000), 38.45, pollutant=Pollutant.objects.get(code="cod"), mass_kg=1000)


def test_the_confluence_worked_example_gives_4_35(pollutants, make_river, make_feature):
    result = _confluence(make_river, make_feature, trib=(3, 0.4, 10), main=(22, 0.6, 40))
    below = by_name(result, "Below")
    assert below["arrival_hours"] == pytest.approx(100_000 / 3600, rel=2e-3)
    assert below["peak_mg_l"] == pytest.approx(4.35, rel=0.005)  # version 1 said 4.87
    assert below["front_hours"] == pytest.approx((100_000 - 2 * 4167) / 3600, rel=2e-3)


@pytest.mark.parametrize(
    ("trib", "main"),
    [((2, 0.2, 5), (40, 1.2, 60)), ((40, 1.2, 60), (60, 0.3, 20))],
    ids=["slow-tributary-into-fast-river", "fast-tributary-into-slow-river"],
)
def test_a_velocity_change_keeps_the_duration_and_the_mass(pollutants, make_river, make_feature, trib, main):
    result = _confluence(make_river, make_feature, trib=trib, main=main)
    below = by_name(result, "Below")
    legs = [(20_000, trib[1], trib[2]), (30_000, main[1], main[2])]
    assert below["peak_mg_l"] == pytest.approx(peak(1000, main[0], *legs), rel=0.01)
    # Flux through the point integrated over time gives back the mass: Q·C·√(2π)·σₜ = M.
    recovered = main[0] * below["peak_mg_l"] * math.sqrt(2 * math.pi) * sigma_t(*legs) / 1000
    assert recovered == pytest.approx(1000, rel=0.01)
    # The version-1 answer (σₓ carried unchanged, A of the main river) differs by the velocity ratio.
    sigma_x = math.sqrt(2 * trib[2] * 20_000 / trib[1] + 2 * main[2] * 30_000 / main[1])
    old = 1e6 / (main[0] / main[1] * math.sqrt(2 * math.pi) * sigma_x)
    assert abs(below["peak_mg_l"] - old) / old > 0.05


def test_reaches_split_a_river_and_overrides_apply_to_every_reach(pollutants, meridian_river, make_feature):
    services.save_reach(
        river=meridian_river,
        from_chainage_m=10_000,
        to_chainage_m=30_000,
        flow_m3s=30,
        velocity_ms=1.0,
        dispersion_m2s=50,
    )
    make_feature(meridian_river, "section", 112.5, lat_south_of(38.5, 40_000), name="S", water_class="III")
    start = 38.5 - (38.5 - lat_south_of(38.5, 5_000))  # chainage 5 km
    cod = Pollutant.objects.get(code="cod")
    result = trace(112.5, start, pollutant=cod, mass_kg=1000, season="normal")
    legs = [(5_000, 0.5, 30), (20_000, 1.0, 50), (10_000, 0.5, 30)]
    section = by_name(result, "S")
    assert section["arrival_hours"] == pytest.approx((10_000 + 20_000 + 20_000) / 3600, rel=2e-3)
    assert section["peak_mg_l"] == pytest.approx(peak(1000, 20, *legs), rel=0.01)
    assert [(h["from_chainage_m"], h["velocity_ms"]) for h in result["hydraulics"]] == [
        (pytest.approx(5_000, rel=1e-3), 0.5),
        (10_000, 1.0),
        (30_000, 0.5),
    ]
    flood = trace(112.5, start, pollutant=cod, mass_kg=1000, overrides={"south": {"velocity_ms": 2.0}})
    assert {h["velocity_ms"] for h in flood["hydraulics"]} == {2.0}
    assert by_name(flood, "S")["arrival_hours"] == pytest.approx(35_000 / 2.0 / 3600, rel=2e-3)


# --- 2. counted from now --------------------------------------------------------------------------


def _spaces(meridian_river, make_feature):
    # Fronts (u 0.5, E 30): 6 km ≈ 2.39 h, 20 km ≈ 9.89 h, 40 km ≈ 20.4 h.
    make_feature(meridian_river, "space", 112.5, lat_south_of(SPILL, 6_000), name="First", setup_minutes=60)
    make_feature(meridian_river, "space", 112.5, lat_south_of(SPILL, 20_000), name="Second", setup_minutes=60)


def test_a_late_report_passes_the_first_space(pollutants, meridian_river, make_feature):
    _spaces(meridian_river, make_feature)
    on_time = trace(112.5, SPILL)
    assert on_time["recommended_space"]["name"] == "First"
    assert by_name(on_time, "First")["too_late"] is False
    late = trace(112.5, SPILL, elapsed_minutes=120)  # 2.39 h − 2 h < 60 min set-up
    assert late["elapsed_minutes"] == 120
    assert by_name(late, "First")["too_late"] is True
    assert by_name(late, "Second")["too_late"] is False
    assert late["recommended_space"]["name"] == "Second"


def test_the_trace_endpoint_takes_elapsed_minutes_and_season(
    api_for, duty_officer, pollutants, meridian_river, make_feature
):
    _spaces(meridian_river, make_feature)
    api = api_for(duty_officer)
    body = {"location": {"type": "Point", "coordinates": [112.5, SPILL]}, "elapsed_minutes": 120, "season": "dry"}
    answer = api.post("/api/trace/", body, format="json").json()
    assert answer["recommended_space"]["name"] == "Second"
    assert answer["season"] == "dry" and answer["elapsed_minutes"] == 120
    for field, value in (("elapsed_minutes", -1), ("season", "monsoon"), ("bank_distance_m", -5)):
        response = api.post("/api/trace/", {**body, field: value}, format="json")
        assert response.status_code == 400 and field in response.json()


def test_an_incident_reported_late_is_advised_from_now_with_absolute_fronts(
    pollutants, meridian_river, make_feature, duty_officer
):
    from backend.incidents.services.opening import open_incident

    _spaces(meridian_river, make_feature)
    now = timezone.now()
    incident = open_incident(
        title="罐车侧翻",
        kind="water",
        location=Point(112.5, SPILL, srid=4326),
        occurred_at=now - timedelta(hours=2),
        now=now,
        actor=duty_officer,
    )
    assert incident.trace["elapsed_minutes"] == pytest.approx(120, abs=0.2)
    assert incident.trace["recommended_space"]["name"] == "Second"
    first = by_name(incident.trace, "First")
    assert first["too_late"] is True
    front = (now - timedelta(hours=2)) + timedelta(hours=first["front_hours"])
    assert first["front_at"] == front.isoformat()


# --- 3. capacity and unknown set-up ---------------------------------------------------------------


def test_the_recommended_space_must_hold_the_plume(pollutants, meridian_river, make_feature):
    # Plume at 6 km: Q·4σₜ = 20·4·√(2·30·12,000)/0.5 ≈ 135,765 m³.
    make_feature(
        meridian_river, "space", 112.5, lat_south_of(SPILL, 6_000), name="Small", setup_minutes=30, capacity_m3=50_000
    )
    make_feature(
        meridian_river, "space", 112.5, lat_south_of(SPILL, 8_000), name="Big", setup_minutes=30, capacity_m3=500_000
    )
    result = trace(112.5, SPILL)
    small = by_name(result, "Small")
    volume = 20 * 4 * math.sqrt(2 * 30 * 12_000) / 0.5
    assert small["plume_volume_m3"] == pytest.approx(volume, rel=1e-3)
    assert small["capacity_ok"] is False
    assert small["capacity_short_m3"] == pytest.approx(volume - 50_000, rel=1e-3)
    assert result["recommended_space"]["name"] == "Big"
    assert result["recommended_space"]["capacity_ok"] is True


def test_when_no_space_is_big_enough_the_largest_in_time_is_recommended_with_the_shortfall(
    pollutants, meridian_river, make_feature
):
    make_feature(
        meridian_river, "space", 112.5, lat_south_of(SPILL, 6_000), name="A", setup_minutes=30, capacity_m3=20_000
    )
    make_feature(
        meridian_river, "space", 112.5, lat_south_of(SPILL, 8_000), name="B", setup_minutes=30, capacity_m3=60_000
    )
    make_feature(
        meridian_river, "space", 112.5, lat_south_of(SPILL, 1_000), name="Late", setup_minutes=600, capacity_m3=9e9
    )
    recommended = trace(112.5, SPILL)["recommended_space"]
    assert recommended["name"] == "B"
    assert recommended["capacity_short_m3"] == pytest.approx(recommended["plume_volume_m3"] - 60_000, rel=1e-3)


def test_a_space_without_set_up_time_is_the_last_resort(pollutants, meridian_river, make_feature):
    make_feature(meridian_river, "space", 112.5, lat_south_of(SPILL, 3_000), name="Unknown", capacity_m3=9e9)
    result = trace(112.5, SPILL)
    assert by_name(result, "Unknown")["setup_unknown"] is True
    assert result["recommended_space"]["name"] == "Unknown"  # nothing else qualifies
    make_feature(meridian_river, "space", 112.5, lat_south_of(SPILL, 9_000), name="Known", setup_minutes=60)
    assert trace(112.5, SPILL)["recommended_space"]["name"] == "Known"


# --- 4. acids and alkalis threaten every drinking-water intake -------------------------------------


def test_an_acid_spill_is_intercepted_above_the_first_drinking_water_intake(pollutants, meridian_river, make_feature):
    make_feature(meridian_river, "receptor", 112.5, lat_south_of(SPILL, 4_000), name="Farm", receptor_type="irrigation")
    make_feature(meridian_river, "space", 112.5, lat_south_of(SPILL, 8_000), name="Above", setup_minutes=30)
    make_feature(
        meridian_river, "receptor", 112.5, lat_south_of(SPILL, 12_000), name="Intake",
        receptor_type="drinking_water", water_class="II",
    )  # fmt: skip
    make_feature(meridian_river, "space", 112.5, lat_south_of(SPILL, 16_000), name="Below", setup_minutes=5)
    acid = Pollutant.objects.get(code="acid")
    result = trace(112.5, SPILL, pollutant=acid, mass_kg=5000)
    assert by_name(result, "Intake")["receptor_type"] == "drinking_water"
    assert result["recommended_space"]["name"] == "Above"
    # The space above is too slow to set up: nothing below the intake is offered instead.
    late = trace(112.5, SPILL, pollutant=acid, mass_kg=5000, elapsed_minutes=400)
    assert late["recommended_space"] is None


# --- 5. mixing length -----------------------------------------------------------------------------


def test_receptors_inside_the_mixing_length_are_flagged(pollutants, meridian_river, make_feature):
    # B 100 m, H 2 m, I 0.0005, u 0.5: E_y = (0.116 + 0.65)·√(9.81·2·0.0005) ≈ 0.0759 m²/s;
    # from the bank Lₘ = (0.11 + 0.7·√0.225)·0.5·100²/E_y ≈ 29.1 km.
    services.save_reach(
        river=meridian_river, from_chainage_m=0, to_chainage_m=60_000, flow_m3s=20, velocity_ms=0.5,
        dispersion_m2s=30, width_m=100, depth_m=2, slope=0.0005,
    )  # fmt: skip
    for km in (0.4, 10, 40):
        make_feature(
            meridian_river, "receptor", 112.5, lat_south_of(SPILL, km * 1000), name=f"R{km}", water_class="III"
        )
    e_y = (0.058 * 2 + 0.0065 * 100) * math.sqrt(9.81 * 2 * 0.0005)
    mixing = (0.11 + 0.7 * math.sqrt(0.5 - 1.1 * 0.25)) * 0.5 * 100**2 / e_y
    result = trace(112.5, SPILL, pollutant=Pollutant.objects.get(code="cod"), mass_kg=1000)
    near, inside, outside = by_name(result, "R0.4"), by_name(result, "R10"), by_name(result, "R40")
    assert inside["mixing_length_m"] == pytest.approx(mixing, rel=1e-3)
    assert near["fully_mixed"] is False and near["peak_mg_l"] is None
    assert inside["fully_mixed"] is False and inside["peak_mg_l"] > 0
    assert outside["fully_mixed"] is True
    # From mid-channel the plume mixes four times sooner: (0.11 vs 0.442).
    centre = trace(112.5, SPILL, pollutant=Pollutant.objects.get(code="cod"), mass_kg=1000, bank_distance_m=50)
    assert by_name(centre, "R10")["mixing_length_m"] == pytest.approx(0.11 * 0.5 * 100**2 / e_y, rel=1e-3)
    assert by_name(centre, "R10")["fully_mixed"] is True


def test_just_below_a_confluence_the_tributary_hugs_one_bank(pollutants, make_river, make_feature):
    main = make_river("main", [(112.5, 38.5), (112.5, 38.0)])
    services.save_reach(
        river=main, from_chainage_m=0, to_chainage_m=55_000, flow_m3s=20, velocity_ms=0.5, dispersion_m2s=30,
        width_m=100, depth_m=2, slope=0.0005,
    )  # fmt: skip
    make_river("trib", [(112.3, 38.45), (112.5, 38.45)], outlet=main)
    make_feature(main, "receptor", 112.5, lat_south_of(38.45, 5_000), name="Just below", water_class="III")
    result = trace(112.35, 38.45, pollutant=Pollutant.objects.get(code="cod"), mass_kg=1000)
    below = by_name(result, "Just below")
    assert below["fully_mixed"] is False and below["mixing_length_m"] > 5_000


def test_without_reach_geometry_the_500_m_rule_holds(pollutants, meridian_river, make_feature):
    make_feature(meridian_river, "section", 112.5, lat_south_of(SPILL, 400), name="Near")
    make_feature(meridian_river, "section", 112.5, lat_south_of(SPILL, 2_000), name="Far")
    result = trace(112.5, SPILL, pollutant=Pollutant.objects.get(code="cod"), mass_kg=10)
    assert by_name(result, "Near")["fully_mixed"] is False and by_name(result, "Near")["mixing_length_m"] is None
    assert by_name(result, "Far")["fully_mixed"] is True


# --- seasons --------------------------------------------------------------------------------------


def test_a_season_switch_uses_the_reach_values_of_that_season(pollutants, meridian_river, make_feature):
    services.save_reach(
        river=meridian_river, from_chainage_m=0, to_chainage_m=60_000, flow_m3s=20, velocity_ms=0.5,
        dispersion_m2s=30, dry_flow_m3s=5, dry_velocity_ms=0.25, dry_dispersion_m2s=10,
        wet_flow_m3s=80, wet_velocity_ms=1.0,
    )  # fmt: skip
    make_feature(meridian_river, "section", 112.5, lat_south_of(SPILL, 20_000), name="S", water_class="III")
    cod = Pollutant.objects.get(code="cod")
    dry = trace(112.5, SPILL, pollutant=cod, mass_kg=1000, season="dry")
    wet = trace(112.5, SPILL, pollutant=cod, mass_kg=1000, season="wet")
    assert dry["season"] == "dry" and dry["hydraulics"][0]["flow_m3s"] == 5
    assert by_name(dry, "S")["arrival_hours"] == pytest.approx(80_000 / 3600, rel=1e-3)
    assert by_name(dry, "S")["peak_mg_l"] == pytest.approx(peak(1000, 5, (20_000, 0.25, 10)), rel=0.01)
    # Wet: flow and velocity of the wet season, dispersion of the normal one (no wet value).
    assert by_name(wet, "S")["peak_mg_l"] == pytest.approx(peak(1000, 80, (20_000, 1.0, 30)), rel=0.01)
    with override_settings(SEASON_MONTHS={"dry": list(range(1, 13))}):
        assert trace(112.5, SPILL)["season"] == "dry"
    with override_settings(SEASON_MONTHS={"wet": list(range(1, 13))}):
        assert trace(112.5, SPILL)["season"] == "wet"


# --- 6. the catalogue -----------------------------------------------------------------------------


def test_the_catalogue_carries_gb_3838_with_source_limits_at_intakes_only(pollutants):
    assert Pollutant.objects.count() >= 40
    phenol, benzene, tp = (Pollutant.objects.get(code=c) for c in ("phenol", "benzene", "tp"))
    assert phenol.limit_for("III") == 0.005 and phenol.category == "volatile_organic"
    assert benzene.limit_for("III") is None  # Table 3: not a limit of the river
    assert benzene.limit_for("III", drinking_water=True) == 0.01
    assert benzene.has_limit and not Pollutant.objects.get(code="acid").has_limit
    assert tp.limit_for("III") == 0.2 and tp.limit_for("III", lake=True) == 0.05
    assert Pollutant.objects.get(code="as").category == "metalloid"
    # Every category used is a valid choice, old codes included.
    from plans.models import PollutantCategory

    assert {"heavy_metal", "organic", "acid_alkali", "oil", "nutrient", "cyanide"} <= set(PollutantCategory.values)


def test_benzene_exceeds_at_a_drinking_water_intake_only(pollutants, meridian_river, make_feature):
    make_feature(
        meridian_river,
        "receptor",
        112.5,
        lat_south_of(SPILL, 10_000),
        name="Farm",
        receptor_type="irrigation",
        water_class="III",
    )
    make_feature(
        meridian_river,
        "receptor",
        112.5,
        lat_south_of(SPILL, 12_000),
        name="Intake",
        receptor_type="drinking_water",
        water_class="II",
    )
    result = trace(112.5, SPILL, pollutant=Pollutant.objects.get(code="benzene"), mass_kg=100)
    assert by_name(result, "Farm")["limit_mg_l"] is None
    assert by_name(result, "Intake")["limit_mg_l"] == 0.01 and by_name(result, "Intake")["exceeds"] is True


@pytest.mark.django_db
def test_the_demo_drill_traces_phenol():
    from drills import demo

    assert demo._tanker_load().code == "phenol"


# --- reaches: API, import/export, admin -----------------------------------------------------------


@pytest.fixture
def duty_api(api_for, duty_officer):
    return api_for(duty_officer)


def test_reaches_over_the_api_with_seasons(duty_api, meridian_river):
    body = {
        "river": "south", "from_chainage_m": 0, "to_chainage_m": 10_000, "flow_m3s": 20, "velocity_ms": 0.5,
        "dispersion_m2s": 30, "width_m": 80, "depth_m": 2, "slope": 0.0004,
        "dry": {"flow_m3s": 4, "velocity_ms": 0.2, "dispersion_m2s": 8},
    }  # fmt: skip
    created = duty_api.post("/api/river-reaches/", body, format="json")
    assert created.status_code == 201, created.json()
    data = created.json()
    assert data["river"] == "south" and data["dry"] == {"flow_m3s": 4, "velocity_ms": 0.2, "dispersion_m2s": 8}
    assert data["wet"] is None
    listed = duty_api.get("/api/river-reaches/?river=south").json()
    rows = listed["results"] if isinstance(listed, dict) else listed
    assert [r["id"] for r in rows] == [data["id"]]
    patched = duty_api.patch(f"/api/river-reaches/{data['id']}/", {"wet": {"flow_m3s": 90}}, format="json")
    assert patched.status_code == 200 and patched.json()["wet"]["flow_m3s"] == 90
    assert patched.json()["dry"]["flow_m3s"] == 4  # a partial update keeps the other season


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"from_chainage_m": 5_000, "to_chainage_m": 15_000}, "from_chainage_m"),  # overlaps 0–10 km
        ({"from_chainage_m": 30_000, "to_chainage_m": 20_000}, "to_chainage_m"),
        ({"flow_m3s": -1}, "flow_m3s"),
        ({"width_m": 0}, "width_m"),
        ({"from_chainage_m": -10}, "from_chainage_m"),
        ({"river": "nowhere"}, "river"),
        ({"dry": {"velocity_ms": -0.1}}, "dry"),
    ],
)
def test_bad_reaches_are_400_naming_the_field(duty_api, meridian_river, change, field):
    services.save_reach(
        river=meridian_river, from_chainage_m=0, to_chainage_m=10_000, flow_m3s=20, velocity_ms=0.5, dispersion_m2s=30
    )
    body = {"river": "south", "from_chainage_m": 20_000, "to_chainage_m": 30_000, "flow_m3s": 20, "velocity_ms": 0.5}
    body = {**body, "dispersion_m2s": 30, **change}
    response = duty_api.post("/api/river-reaches/", body, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert RiverReach.objects.count() == 1


def test_reaches_travel_with_the_geojson_export_and_import(meridian_river):
    services.save_reach(
        river=meridian_river, from_chainage_m=1_000, to_chainage_m=9_000, flow_m3s=12, velocity_ms=0.4,
        dispersion_m2s=20, width_m=60, wet_flow_m3s=50,
    )  # fmt: skip
    exported = services.export_rivers()
    reaches = exported["features"][0]["properties"]["reaches"]
    assert reaches == [
        {
            "from_chainage_m": 1000, "to_chainage_m": 9000, "flow_m3s": 12, "velocity_ms": 0.4, "dispersion_m2s": 20,
            "width_m": 60, "depth_m": None, "slope": None, "dry": None,
            "wet": {"flow_m3s": 50, "velocity_ms": None, "dispersion_m2s": None},
        }
    ]  # fmt: skip
    RiverReach.objects.all().delete()
    reaches[0]["to_chainage_m"] = 8_000
    assert services.import_rivers(exported) == (0, 1)
    reach = RiverReach.objects.get()
    assert (reach.to_chainage_m, reach.wet_flow_m3s, reach.width_m) == (8_000, 50, 60)
    exported["features"][0]["properties"]["reaches"].append({**reaches[0], "from_chainage_m": 7_000})
    with pytest.raises(services.RiverImportError) as error:
        services.import_rivers(exported)
    assert "reaches" in error.value.field
    assert RiverReach.objects.get().to_chainage_m == 8_000  # nothing of the bad file stayed


def test_reaches_and_treatment_measures_in_the_admin(client, meridian_river, make_user):
    from backend.directory import roles

    admin = make_user(roles.ADMINISTRATOR, username="reach-admin")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    services.save_reach(
        river=meridian_river, from_chainage_m=0, to_chainage_m=10_000, flow_m3s=20, velocity_ms=0.5, dispersion_m2s=30
    )
    form = {"river": meridian_river.pk, "from_chainage_m": 5_000, "to_chainage_m": 12_000, "flow_m3s": 20}
    form |= {"velocity_ms": 0.5, "dispersion_m2s": 30}
    response = client.post("/admin/plans/riverreach/add/", form)
    page = response.content.decode()
    assert response.status_code == 200 and ("Overlaps" in page or "重叠" in page)
    assert RiverReach.objects.count() == 1
    response = client.post("/admin/plans/riverreach/add/", {**form, "from_chainage_m": 10_000})
    assert response.status_code == 302 and RiverReach.objects.count() == 2
    assert client.get("/admin/plans/treatmentmeasure/").status_code == 200
