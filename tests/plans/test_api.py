"""The REST contracts: GeoJSON in and out, codes in bodies, roles, and the trace's errors."""

from __future__ import annotations

import pytest

from plans.models import ResponsePlan, River, RiverFeature

from .geodesy import lat_south_of

pytestmark = pytest.mark.django_db


def river_feature(code="south", coords=((112.5, 38.5), (112.5, 38.0)), outlet=None, **props):
    return {
        "type": "Feature",
        "geometry": {"type": "LineString", "coordinates": [list(c) for c in coords]},
        "properties": {
            "code": code,
            "name": "南河",
            "name_en": "South River",
            "velocity_ms": 0.5,
            "flow_m3s": 20,
            "dispersion_m2s": 30,
            "outlet": outlet,
            **props,
        },
    }


def point_feature(kind, lat, river="south", lon=112.5, **props):
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"kind": kind, "name": f"{kind} {lat:.3f}", "river": river, **props},
    }


@pytest.fixture
def duty_api(api_for, duty_officer):
    return api_for(duty_officer)


@pytest.fixture
def viewer_api(api_for, viewer):
    return api_for(viewer)


def test_a_duty_officer_creates_rivers_as_geojson_and_reads_them_back(duty_api):
    created = duty_api.post("/api/rivers/", river_feature(), format="json")
    assert created.status_code == 201, created.json()
    tributary = duty_api.post(
        "/api/rivers/", river_feature("east", ((112.0, 38.3), (112.5, 38.3)), outlet="south"), format="json"
    )
    assert tributary.status_code == 201, tributary.json()
    body = tributary.json()
    assert body["type"] == "Feature" and body["geometry"]["type"] == "LineString"
    assert body["properties"]["outlet"] == "south"
    assert body["properties"]["confluence_chainage_m"] == pytest.approx(22_199, rel=1e-3)

    listing = duty_api.get("/api/rivers/").json()
    assert listing["type"] == "FeatureCollection"
    assert {f["properties"]["code"] for f in listing["features"]} == {"south", "east"}
    detail = duty_api.get(f"/api/rivers/{created.json()['id']}/").json()
    assert detail["properties"]["name_en"] == "South River"


def test_features_carry_their_kind_fields_and_chainage(duty_api, departments):
    duty_api.post("/api/rivers/", river_feature(), format="json")
    boundary = duty_api.post(
        "/api/river-features/",
        point_feature(
            "receptor",
            38.1,
            receptor_type="boundary",
            boundary="province",
            water_class="III",
            downstream_jurisdiction="environment",
        ),
        format="json",
    )
    assert boundary.status_code == 201, boundary.json()
    props = boundary.json()["properties"]
    assert props["river"] == "south" and props["boundary"] == "province"
    assert props["downstream_jurisdiction"] == "environment"
    assert props["chainage_m"] == pytest.approx(44_396, rel=1e-3)
    assert "setup_minutes" not in props  # a receptor has no set-up time

    space = duty_api.post(
        "/api/river-features/",
        point_feature("space", 38.3, space_type="sluice", capacity_m3=50_000, setup_minutes=45),
        format="json",
    )
    assert space.status_code == 201, space.json()
    risk = duty_api.post(
        "/api/river-features/",
        point_feature("risk_source", 38.4, source_type="tailings_pond", risk_grade="较大", hazardous_substances=["Pb"]),
        format="json",
    )
    assert risk.status_code == 201, risk.json()
    listing = duty_api.get("/api/river-features/?river=south&kind=space").json()
    assert [f["properties"]["setup_minutes"] for f in listing["features"]] == [45]


def test_a_feature_needs_only_kind_name_river_and_location(duty_api):
    """The kind's attributes are optional (the issue lists them as attributes)."""
    duty_api.post("/api/rivers/", river_feature(), format="json")
    minimal = {
        "section": {},
        "receptor": {"water_class": "II"},  # an intake known only by its water class
        "space": {"setup_minutes": 30, "capacity_m3": 20_000},
        "risk_source": {"risk_grade": "较大"},
    }
    for lat, (kind, props) in zip((38.1, 38.2, 38.3, 38.4), minimal.items(), strict=True):
        response = duty_api.post("/api/river-features/", point_feature(kind, lat, **props), format="json")
        assert response.status_code == 201, (kind, response.json())
        assert {k: response.json()["properties"][k] for k in props} == props
    space = RiverFeature.objects.get(kind="space")
    assert space.space_type == "" and space.setup_minutes == 30
    for name in ("kind", "name", "river"):
        body = point_feature("space", 38.3)
        del body["properties"][name]
        response = duty_api.post("/api/river-features/", body, format="json")
        assert response.status_code == 400 and name in response.json()
    body = point_feature("space", 38.3)
    del body["geometry"]
    assert duty_api.post("/api/river-features/", body, format="json").status_code == 400


@pytest.mark.parametrize(
    ("kind", "props", "field"),
    [
        ("section", {"level": "regional"}, "level"),
        ("section", {"water_class": "VI"}, "water_class"),
        ("receptor", {"receptor_type": "swimming"}, "receptor_type"),
        ("receptor", {"serves": "village"}, "serves"),
        ("space", {"space_type": "lake"}, "space_type"),
        ("space", {"capacity_m3": -5}, "capacity_m3"),
        ("space", {"setup_minutes": -1}, "setup_minutes"),
        ("space", {"capacity_m3": "big"}, "capacity_m3"),
        ("risk_source", {"source_type": "farm"}, "source_type"),
        ("risk_source", {"risk_grade": "huge"}, "risk_grade"),
    ],
)
def test_a_bad_kind_attribute_is_a_400_naming_it(duty_api, kind, props, field):
    duty_api.post("/api/rivers/", river_feature(), format="json")
    response = duty_api.post("/api/river-features/", point_feature(kind, 38.2, **props), format="json")
    assert response.status_code == 400, response.json()
    assert field in response.json()
    assert not RiverFeature.objects.exists()


def test_deleting_a_river_deletes_its_features(duty_api):
    river_id = duty_api.post("/api/rivers/", river_feature(), format="json").json()["id"]
    duty_api.post(
        "/api/river-features/", point_feature("section", 38.2, level="county", water_class="III"), format="json"
    )
    assert duty_api.delete(f"/api/rivers/{river_id}/").status_code == 204
    assert not RiverFeature.objects.exists()


def test_a_viewer_reads_but_does_not_write(viewer_api, duty_api):
    duty_api.post("/api/rivers/", river_feature(), format="json")
    assert viewer_api.get("/api/rivers/").status_code == 200
    assert viewer_api.post("/api/rivers/", river_feature("other"), format="json").status_code == 403
    assert (
        viewer_api.post(
            "/api/trace/", {"location": {"type": "Point", "coordinates": [112.5, 38.3]}}, format="json"
        ).status_code
        == 200
    )


def test_the_trace_endpoint_answers_the_worked_example(duty_api, pollutants):
    duty_api.post("/api/rivers/", river_feature(), format="json")
    duty_api.post(
        "/api/river-features/",
        point_feature("section", lat_south_of(38.45, 20_000), level="national", water_class="I"),
        format="json",
    )
    response = duty_api.post(
        "/api/trace/",
        {"location": {"type": "Point", "coordinates": [112.5, 38.45]}, "pollutant": "cod", "mass_kg": 1000},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["river"]["code"] == "south"
    (section,) = body["downstream"]
    assert section["peak_mg_l"] == pytest.approx(6.44, rel=0.01)
    assert section["limit_mg_l"] == 15 and section["exceeds"] is False
    assert body["recommended_space"] is None


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"location": {"type": "Point", "coordinates": [112.5]}}, "location"),
        ({"location": {"type": "Polygon", "coordinates": [112.5, 38.3]}}, "location"),
        ({"location": "112.5,38.3"}, "location"),
        ({"location": {"type": "Point", "coordinates": [212.5, 38.3]}}, "location"),
        ({"location": {"type": "Point", "coordinates": [112.5, 98.3]}}, "location"),
        ({}, "location"),
        ({"location": {"type": "Point", "coordinates": [112.5, 38.3]}, "pollutant": "unobtainium"}, "pollutant"),
        ({"location": {"type": "Point", "coordinates": [112.5, 38.3]}, "mass_kg": 5}, "mass_kg"),
        ({"location": {"type": "Point", "coordinates": [112.5, 38.3]}, "pollutant": "cod", "mass_kg": -1}, "mass_kg"),
        ({"location": {"type": "Point", "coordinates": [112.5, 38.3]}, "overrides": {"nile": {}}}, "overrides"),
    ],
)
def test_the_trace_names_the_bad_field(duty_api, pollutants, body, field):
    duty_api.post("/api/rivers/", river_feature(), format="json")
    response = duty_api.post("/api/trace/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_the_trace_refuses_a_point_far_from_rivers(duty_api):
    duty_api.post("/api/rivers/", river_feature(), format="json")
    response = duty_api.post(
        "/api/trace/", {"location": {"type": "Point", "coordinates": [113.5, 38.3]}}, format="json"
    )
    assert response.status_code == 422
    assert "detail" in response.json()


def test_plans_are_approved_and_versioned_over_the_api(duty_api, duty_officer):
    duty_api.post("/api/rivers/", river_feature(), format="json")
    created = duty_api.post(
        "/api/plans/",
        {
            "river": "south",
            "title": "南河一河一策",
            "task_templates": [{"department": "fire", "text": "布设围油栏", "order": 1, "complete_minutes": 120}],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    plan = created.json()
    assert (plan["version"], plan["status"]) == (1, "draft")
    assert plan["task_templates"][0]["ack_minutes"] == 10

    approved = duty_api.post(f"/api/plans/{plan['id']}/approve/")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved" and approved.json()["approved_by"] == duty_officer.username

    edit = duty_api.patch(f"/api/plans/{plan['id']}/", {"title": "changed"}, format="json")
    assert edit.status_code == 409
    assert "error" in edit.json()

    draft = duty_api.post(f"/api/plans/{plan['id']}/new-version/")
    assert draft.status_code == 201
    assert draft.json()["version"] == 2 and len(draft.json()["task_templates"]) == 1
    assert duty_api.post(f"/api/plans/{draft.json()['id']}/approve/").status_code == 200
    assert ResponsePlan.objects.get(pk=plan["id"]).status == "superseded"
    assert duty_api.post(f"/api/plans/{plan['id']}/approve/").status_code == 409


def test_pollutants_are_referenced_by_code(viewer_api, pollutants):
    listing = viewer_api.get("/api/pollutants/?code=cd").json()
    (cadmium,) = listing["results"]
    assert cadmium["limit_ii"] == 0.005 and cadmium["category"] == "heavy_metal"


def test_a_single_part_multilinestring_is_taken_as_a_river(duty_api):
    body = river_feature()
    body["geometry"] = {"type": "MultiLineString", "coordinates": [[[112.5, 38.5], [112.5, 38.0]]]}
    response = duty_api.post("/api/rivers/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["geometry"]["type"] == "LineString"


def test_a_river_geometry_must_be_a_line(duty_api):
    body = river_feature()
    body["geometry"] = {"type": "Point", "coordinates": [112.5, 38.5]}
    response = duty_api.post("/api/rivers/", body, format="json")
    assert response.status_code == 400
    assert "geometry" in response.json()


def test_coordinates_with_z_are_accepted_and_stored_2d(duty_api):
    """QGIS exports often carry Z: it is dropped (elevation plays no part in chainage)."""
    created = duty_api.post("/api/rivers/", river_feature(coords=((112.5, 38.5, 5), (112.5, 38.0, 5))), format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["geometry"]["coordinates"] == [[112.5, 38.5], [112.5, 38.0]]
    river = River.objects.get(code="south")
    assert not river.geometry.hasz
    feature = duty_api.post(
        "/api/river-features/", point_feature("section", 38.2, level="county", water_class="III"), format="json"
    )
    body = point_feature("space", 38.3, space_type="dam")
    body["geometry"]["coordinates"] = [112.5, 38.3, 3]
    space = duty_api.post("/api/river-features/", body, format="json")
    assert feature.status_code == 201 and space.status_code == 201, space.json()
    assert space.json()["geometry"]["coordinates"] == [112.5, 38.3]
    assert not RiverFeature.objects.get(pk=space.json()["id"]).location.hasz
    multi = river_feature(code="north")
    multi["geometry"] = {"type": "MultiLineString", "coordinates": [[[112.6, 38.5, 1], [112.6, 38.0, 2]]]}
    assert duty_api.post("/api/rivers/", multi, format="json").status_code == 201
    update = duty_api.patch(
        f"/api/rivers/{river.pk}/",
        {"type": "Feature", "geometry": {"type": "LineString", "coordinates": [[112.5, 38.6, 9], [112.5, 38.0, 9]]}},
        format="json",
    )
    assert update.status_code == 200, update.json()
    assert update.json()["geometry"]["coordinates"] == [[112.5, 38.6], [112.5, 38.0]]


@pytest.mark.parametrize(
    ("url", "geometry"),
    [
        ("/api/rivers/", {"type": "LineString", "coordinates": [[112.5, 38.5, 5], [112.5]]}),
        ("/api/rivers/", {"type": "LineString", "coordinates": [[112.5, 38.5], [112.5, "south"]]}),
        ("/api/rivers/", {"type": "LineString", "coordinates": [[112.5, 38.5, 5], [212.5, 38.0, 5]]}),
        ("/api/river-features/", {"type": "Point", "coordinates": [112.5]}),
        ("/api/river-features/", {"type": "Point", "coordinates": [112.5, 98.0, 3]}),
        ("/api/river-features/", {"type": "Point", "coordinates": "112.5,38.2"}),
    ],
)
def test_a_malformed_coordinate_is_a_400_naming_the_field(duty_api, url, geometry):
    if url == "/api/rivers/":
        body = river_feature()
    else:
        duty_api.post("/api/rivers/", river_feature(), format="json")
        body = point_feature("space", 38.3, space_type="dam")
    body["geometry"] = geometry
    response = duty_api.post(url, body, format="json")
    assert response.status_code == 400, response.content
    field = "geometry" if url == "/api/rivers/" else "location"
    assert field in response.json()


def test_enterprise_filings_are_uploaded_and_the_gaps_listed(duty_api, departments, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path

    duty_api.post("/api/rivers/", river_feature(), format="json")
    risk = duty_api.post(
        "/api/river-features/",
        point_feature("risk_source", 38.4, source_type="enterprise", risk_grade="major", substances="硫酸、盐酸"),
        format="json",
    ).json()
    assert risk["properties"]["risk_grade"] == "重大"
    assert risk["properties"]["hazardous_substances"] == ["硫酸", "盐酸"]
    duty_api.post(
        "/api/river-features/", point_feature("risk_source", 38.3, source_type="tailings_pond"), format="json"
    )

    gaps = duty_api.get("/api/enterprise-filings/missing-or-expired/").json()
    assert [g["reason"] for g in gaps] == ["missing", "missing"]

    upload = duty_api.post(
        "/api/enterprise-filings/",
        {
            "risk_source": risk["id"],
            "filing_number": "140900-2026-015",
            "filed_on": "2026-01-10",
            "expires_on": "2029-01-10",
            "document": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 demo", content_type="application/pdf"),
        },
        format="multipart",
    )
    assert upload.status_code == 201, upload.json()
    assert upload.json()["status"] == "filed"
    gaps = duty_api.get("/api/enterprise-filings/missing-or-expired/").json()
    assert [g["name"] for g in gaps] == ["risk_source 38.300"]


def test_a_plan_needs_only_its_river(duty_api):
    duty_api.post("/api/rivers/", river_feature(), format="json")
    response = duty_api.post("/api/plans/", {"river": "south"}, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["title"]
    template = duty_api.post(
        "/api/task-templates/",
        {"plan": response.json()["id"], "department": "police", "text": "封控现场"},
        format="json",
    )
    assert template.status_code == 201, template.json()
    assert (template.json()["ack_minutes"], template.json()["complete_minutes"]) == (10, 60)


def test_a_pollutant_is_added_with_its_limits(duty_api, pollutants):
    # Tin: not in GB 3838-2002 (nickel, used here before, is in the catalogue now, from Table 3).
    response = duty_api.post(
        "/api/pollutants/",
        {"code": "sn", "name": "锡", "category": "heavy metal", "limit_iii": 0.02, "decay_per_day": 0},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["category"] == "heavy_metal"
    assert response.json()["limits"] == {"I": None, "II": None, "III": 0.02, "IV": None, "V": None}
    assert duty_api.post("/api/pollutants/", {"code": "cod", "name": "x", "category": "organic"}).status_code == 400
