"""Chainages and lengths are geodesic metres measured on save."""

from __future__ import annotations

import math

import pytest
from django.contrib.gis.geos import LineString, Point
from django.core.exceptions import ValidationError

from plans import services
from plans.models import RiverFeature

from . import geodesy
from .geodesy import meridian_arc_m, parallel_arc_m

pytestmark = pytest.mark.django_db


def test_it_measures_a_river_geodesically(meridian_river):
    assert meridian_river.length_m == pytest.approx(meridian_arc_m(38.0, 38.5), rel=1e-4)
    # In degrees it would be 0.5; 55.5 km is what a boat travels.
    assert 55_000 < meridian_river.length_m < 56_000


def test_it_gives_a_feature_its_chainage_from_the_source(meridian_river, make_feature):
    # 300 m east of the bank-line point at 38.1 N: projected onto the river, then measured.
    section = make_feature(meridian_river, "section", 112.5034, 38.1, level="provincial", water_class="III")
    assert section.chainage_m == pytest.approx(meridian_arc_m(38.1, 38.5), rel=1e-4)
    assert section.offset_m == pytest.approx(parallel_arc_m(38.1, 112.5, 112.5034), rel=1e-2)


def test_it_computes_the_confluence_on_the_outlet(meridian_river, make_river):
    tributary = make_river("east", [(112.0, 38.3), (112.25, 38.3), (112.5, 38.3)], outlet=meridian_river)
    assert tributary.length_m == pytest.approx(parallel_arc_m(38.3, 112.0, 112.5), rel=1e-4)
    assert tributary.confluence_chainage_m == pytest.approx(meridian_arc_m(38.3, 38.5), rel=1e-4)


def test_it_remeasures_features_and_confluences_when_a_course_changes(meridian_river, make_river, make_feature):
    tributary = make_river("east", [(112.0, 38.3), (112.5, 38.3)], outlet=meridian_river)
    section = make_feature(meridian_river, "section", 112.5, 38.1, level="county", water_class="III")
    # The river now rises 0.1° further north.
    services.save_river(river=meridian_river, geometry=LineString([(112.5, 38.6), (112.5, 38.0)], srid=4326))
    section.refresh_from_db()
    tributary.refresh_from_db()
    assert section.chainage_m == pytest.approx(meridian_arc_m(38.1, 38.6), rel=1e-4)
    assert tributary.confluence_chainage_m == pytest.approx(meridian_arc_m(38.3, 38.6), rel=1e-4)


def test_it_refuses_a_river_that_flows_into_itself(meridian_river, make_river):
    tributary = make_river("east", [(112.0, 38.3), (112.5, 38.3)], outlet=meridian_river)
    with pytest.raises(ValidationError) as error:
        services.save_river(river=meridian_river, outlet=tributary)
    assert "outlet" in error.value.message_dict


def test_the_fields_of_each_kind_are_optional_but_checked(meridian_river):
    here = Point(112.5, 38.2, srid=4326)
    space = services.save_feature(river=meridian_river, kind="space", name="Dam", location=here, setup_minutes=20)
    assert space.space_type == "" and space.capacity_m3 is None and space.setup_minutes == 20
    for kind in ("section", "receptor", "risk_source"):
        assert services.save_feature(river=meridian_river, kind=kind, name=kind, location=here).pk
    for fields, name in (
        ({"kind": "space", "capacity_m3": -1.0}, "capacity_m3"),
        ({"kind": "space", "space_type": "lake"}, "space_type"),
        ({"kind": "section", "level": "regional"}, "level"),
        ({"kind": "receptor", "receptor_type": "swimming"}, "receptor_type"),
    ):
        with pytest.raises(ValidationError) as error:
            services.save_feature(river=meridian_river, name="Bad", location=here, **fields)
        assert name in error.value.message_dict


def test_it_clears_attributes_of_another_kind(meridian_river):
    feature = services.save_feature(
        river=meridian_river,
        kind="space",
        name="Sluice",
        location=Point(112.5, 38.2, srid=4326),
        space_type="sluice",
        setup_minutes=30,
        water_class="II",
    )
    assert feature.water_class == ""
    assert feature.setup_minutes == 30


def test_deleting_a_river_deletes_its_features(meridian_river, make_feature):
    make_feature(meridian_river, "section", 112.5, 38.1, level="county", water_class="III")
    services.delete_river(meridian_river)
    assert not RiverFeature.objects.exists()


def test_it_seeds_the_catalogue_idempotently(pollutants):
    from plans.models import Pollutant

    services.seed_pollutants()
    cod = Pollutant.objects.get(code="cod")
    assert (cod.limit_i, cod.limit_iii, cod.limit_v) == (15, 20, 40)
    assert Pollutant.objects.get(code="hg").limit_for("II") == 0.00005
    assert Pollutant.objects.get(code="acid").limit_for("III") is None
    assert {"cod", "nh3n", "tp", "cr6", "petroleum", "cyanide", "hg", "cd", "pb", "as"} <= set(
        Pollutant.objects.values_list("code", flat=True)
    )


def test_a_point_beside_a_diagonal_reach_finds_its_true_foot(make_river, make_feature):
    # A reach running north-east; a point 1.5 km off it to the south-east. In degrees the foot
    # would slide ~10 % of the offset along the river; on the ground it must not.
    river = make_river("diagonal", [(112.0, 38.0), (112.2, 38.2)])
    lat0 = math.radians(38.1)
    n = geodesy.A / math.sqrt(1 - geodesy.E2 * math.sin(lat0) ** 2)
    m = geodesy.A * (1 - geodesy.E2) / (1 - geodesy.E2 * math.sin(lat0) ** 2) ** 1.5
    kx, ky = n * math.cos(lat0) * math.pi / 180, m * math.pi / 180  # metres per degree here

    def local(lon, lat):
        return (lon - 112.0) * kx, (lat - 38.0) * ky

    end = local(112.2, 38.2)
    length = math.hypot(*end)
    ux, uy = end[0] / length, end[1] / length
    foot = (0.5 * length * ux, 0.5 * length * uy)
    point = (foot[0] + 1500 * uy, foot[1] - 1500 * ux)  # 1.5 km to the right bank
    feature = make_feature(river, "section", 112.0 + point[0] / kx, 38.0 + point[1] / ky, level="county",
                           water_class="III")  # fmt: skip
    assert feature.chainage_m == pytest.approx(river.length_m / 2, rel=2e-3)
    assert feature.offset_m == pytest.approx(1500, rel=1e-2)
