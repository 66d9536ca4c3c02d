"""Levels that follow the criteria (issue 15): a prediction without a quantity is a potential
level only; an intake cut off is a confirmed reason; each reason says its basis."""

from __future__ import annotations

import pytest
from django.contrib.gis.geos import Point

from backend.directory import roles
from backend.incidents import services
from backend.incidents.models import Incident, IncidentEvent
from backend.incidents.services.assessment import assess
from plans import services as plans
from plans.models import RiverFeature

from .legal_crossings import HEBEI, crossing

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_intake(river):
    """The city's own intake below the spill (a prefecture-city intake: level I when cut off)."""
    return plans.save_feature(
        river=river, kind="receptor", name="市区水源地", location=Point(112.3, 38.5, srid=4326),
        receptor_type="drinking_water", serves="prefecture", water_class="II",
    )  # fmt: skip


@pytest.fixture
def water_liaison(make_user):
    return make_user(roles.LIAISON, "water", username="liaison-water")


def test_a_few_litres_of_diesel_above_the_city_intake_is_a_potential_level_i_only(city_intake, open_water_incident):
    body = open_water_incident(pollutant="petroleum")  # no mass: the trace cannot say how much
    assert body["suggested_level"] == 4 and body["level"] == 4
    assert body["level_reasons"] == []
    assert body["potential_level"] == 1
    first = body["potential_reasons"][0]
    assert first["rule"] == "intake_prefecture" and first["basis"] == "potential" and first["name"] == "市区水源地"
    assert {r["basis"] for r in body["potential_reasons"]} == {"potential"}


def test_a_known_mass_exceeding_at_the_intake_is_a_predicted_reason(open_water_incident):
    body = open_water_incident(pollutant="cod", mass_kg=50_000)
    assert body["suggested_level"] == 2
    intake = next(r for r in body["level_reasons"] if r["rule"] == "intake_county")
    assert intake["basis"] == "predicted" and intake["exceeds"] is True


def test_an_acid_feeds_only_the_potential_level_whatever_the_mass(open_water_incident):
    body = open_water_incident(pollutant="acid", mass_kg=20_000)
    assert body["suggested_level"] == 4
    assert body["potential_level"] == 2
    assert [r["rule"] for r in body["potential_reasons"]] == ["intake_county"]


def test_a_suspended_intake_is_a_confirmed_reason(api_for, water_liaison, open_water_incident):
    body = open_water_incident()
    intake = RiverFeature.objects.get(name="县城水源地")
    response = api_for(water_liaison).post(
        f"/api/incidents/{body['id']}/intakes/", {"feature": intake.pk, "suspended": True}, format="json"
    )
    assert response.status_code == 200, response.content
    after = response.json()
    assert after["suggested_level"] == 2 and after["level"] == 2
    assert after["suspended_intakes"] == [intake.pk]
    reason = after["level_reasons"][0]
    assert reason == {
        "rule": "intake_county", "level": 2, "feature": intake.pk, "name": "县城水源地", "suspended": True,
        "basis": "confirmed",
    }  # fmt: skip
    event = IncidentEvent.objects.filter(incident_id=body["id"], event_type="intake_suspended").get()
    assert event.data["feature"] == intake.pk and event.data["suggested"] == 2

    again = api_for(water_liaison).post(
        f"/api/incidents/{body['id']}/intakes/", {"feature": intake.pk, "suspended": True}, format="json"
    )
    assert again.status_code == 200
    assert IncidentEvent.objects.filter(incident_id=body["id"], event_type="intake_suspended").count() == 1

    resumed = (
        api_for(water_liaison)
        .post(f"/api/incidents/{body['id']}/intakes/", {"feature": intake.pk, "suspended": False}, format="json")
        .json()
    )
    assert resumed["suggested_level"] == 4 and resumed["level_reasons"] == []
    assert IncidentEvent.objects.filter(incident_id=body["id"], event_type="intake_resumed").count() == 1


def test_only_the_duty_office_and_the_water_liaison_report_intakes(api_for, fire_liaison, viewer, open_water_incident):
    body = open_water_incident()
    intake = RiverFeature.objects.get(name="县城水源地")
    url = f"/api/incidents/{body['id']}/intakes/"
    for user in (fire_liaison, viewer):
        response = api_for(user).post(url, {"feature": intake.pk, "suspended": True}, format="json")
        assert response.status_code == 403 and "detail" in response.json()


def test_an_intake_must_be_a_drinking_water_intake(api_for, duty_officer, open_water_incident):
    body = open_water_incident()
    boundary = RiverFeature.objects.get(name="晋冀交界断面")
    url = f"/api/incidents/{body['id']}/intakes/"
    response = api_for(duty_officer).post(url, {"feature": boundary.pk, "suspended": True}, format="json")
    assert response.status_code == 400 and "feature" in response.json()
    assert api_for(duty_officer).post(url, {"feature": 1}, format="json").status_code == 400


def test_computed_crossings_count_by_their_basis(duty_officer, departments):
    incident = services.open_incident(
        title="测试", kind=Incident.Kind.AIR, location=Point(112.7, 38.4, srid=4326), actor=duty_officer
    )
    incident.trace = {
        "downstream": [],
        "boundary_crossings": [crossing("prefecture", "predicted"), crossing("province", "potential", to_area=HEBEI)],
    }
    levels = assess(incident, {})
    assert levels["suggested_level"] == 3
    assert [(r["rule"], r["basis"]) for r in levels["level_reasons"]] == [("crossing_prefecture", "predicted")]
    assert levels["potential_level"] == 2
    assert [(r["rule"], r["basis"]) for r in levels["potential_reasons"]] == [("crossing_province", "potential")]
    incident.trace["boundary_crossings"] = [crossing("county", "predicted"), crossing("prefecture", None)]
    assert assess(incident, {})["suggested_level"] == 4


def test_the_english_level_labels_read_in_order():
    from django.utils import translation

    with translation.override("en"):
        assert [str(label) for label in Incident.Level.labels] == [
            "I (extraordinarily serious)", "II (serious)", "III (relatively serious)", "IV (general)",
        ]  # fmt: skip
    with translation.override("zh-hans"):
        assert str(Incident.Level(3).label) == "III级（较大）"
