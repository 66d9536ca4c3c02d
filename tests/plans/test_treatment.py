"""Treatment at the recommended interception space (issue 14): measures as data in plans, the
quantities and nearest depots from backend/incidents/treatment.py through plans.hooks, and the
duty officer's one confirmed action that turns the proposal into dispatch requests."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from inventory import services as inventory
from inventory.models import Dispatch, Lot
from plans import hooks, services
from plans.models import Pollutant, TreatmentMeasure
from plans.tracing import trace

from .geodesy import lat_south_of

pytestmark = pytest.mark.django_db

SPILL = 38.45


@pytest.fixture
def supplies(db):
    """Lime, PAC, ferrous sulphate and activated carbon (tonnes) at two depots east of the river."""
    items = {
        code: inventory.save_item(code=code, name=name, name_en=code, category="treatment", unit="吨", consumable=True)
        for code, name in (
            ("quicklime", "生石灰"),
            ("pac", "聚合氯化铝"),
            ("ferrous-sulfate", "硫酸亚铁"),
            ("activated-carbon", "活性炭"),
        )
    }
    near = inventory.save_depot(code="NEAR", name="近库", level="county", location=Point(112.55, 38.38, srid=4326))
    far = inventory.save_depot(code="FAR", name="远库", level="city", location=Point(112.9, 38.4, srid=4326))
    today = timezone.localdate()
    inventory.receive(depot=near, item=items["quicklime"], quantity=2, lot="N1", received_on=today)
    inventory.receive(depot=far, item=items["quicklime"], quantity=50, lot="F1", received_on=today)
    inventory.receive(depot=far, item=items["pac"], quantity=50, lot="F2", received_on=today)
    return items


@pytest.fixture
def river_with_space(pollutants, meridian_river, make_feature):
    services.seed_treatment()
    make_feature(
        meridian_river, "space", 112.5, lat_south_of(SPILL, 8_000), name="Dam", setup_minutes=30, capacity_m3=1e6
    )
    return meridian_river


def test_the_incidents_app_registers_the_treatment_hook():
    assert "treatment" in hooks.trace_extensions


def test_cadmium_gets_lime_then_coagulant_sized_to_the_plume(river_with_space, supplies):
    result = trace(112.5, SPILL, pollutant=Pollutant.objects.get(code="cd"), mass_kg=50)
    space = result["recommended_space"]
    treatment = result["treatment"]
    assert treatment["space"] == space["id"]
    assert treatment["water_m3"] == pytest.approx(space["plume_volume_m3"], rel=1e-3)  # capacity 1e6 holds it
    lime, pac = treatment["items"]
    assert (lime["item"], pac["item"]) == ("quicklime", "pac")  # raise the pH, then coagulate
    assert lime["quantity"] == pytest.approx(0.03 * space["plume_volume_m3"] / 1000, abs=0.002)
    # ≈ 4.7 t of lime: the near depot holds only 2 t, so the depot that can send it all comes
    # first (inventory's ranking: full suppliers nearest first, then partial ones).
    assert lime["quantity"] > 2
    assert [(d["depot"], d["take"]) for d in lime["depots"]] == [("FAR", lime["quantity"])]
    assert sum(d["take"] for d in lime["depots"]) == pytest.approx(lime["quantity"], abs=1e-6)
    assert lime["short"] == 0
    assert "城市供水系统应急净水技术指导手册" in lime["source"]


def test_chromium_vi_is_reduced_before_it_is_precipitated(river_with_space, supplies):
    treatment = trace(112.5, SPILL, pollutant=Pollutant.objects.get(code="cr6"), mass_kg=100)["treatment"]
    steps = [(line["step"], line["item"]) for line in treatment["items"]]
    assert steps[0] == (0, "ferrous-sulfate")
    assert [item for _step, item in steps[1:]] == ["quicklime", "pac"]
    reduction = treatment["items"][0]
    assert reduction["basis"] == "per_kg" and reduction["quantity"] == pytest.approx(24 * 100 / 1000, abs=0.001)
    assert reduction["short"] == pytest.approx(reduction["quantity"])  # no depot holds it
    # Cadmium does not get the chromium step.
    cadmium = trace(112.5, SPILL, pollutant=Pollutant.objects.get(code="cd"), mass_kg=100)["treatment"]
    assert "ferrous-sulfate" not in [line["item"] for line in cadmium["items"]]


def test_phenol_and_benzene_take_activated_carbon_and_a_per_kg_dose_needs_a_mass(river_with_space, supplies):
    for code in ("phenol", "benzene"):
        items = trace(112.5, SPILL, pollutant=Pollutant.objects.get(code=code), mass_kg=500)["treatment"]["items"]
        assert [line["item"] for line in items] == ["activated-carbon"]
        assert items[0]["short"] == items[0]["quantity"] > 0  # none in stock: all of it is short
    acid = trace(112.5, SPILL, pollutant=Pollutant.objects.get(code="cr6"))["treatment"]
    assert acid["items"][0]["quantity"] is None  # per kg of Cr(VI), and no mass given


def test_no_space_or_no_pollutant_means_no_treatment(pollutants, meridian_river, supplies):
    assert trace(112.5, SPILL, pollutant=Pollutant.objects.get(code="cd"), mass_kg=5)["treatment"] is None


def test_an_administrators_edit_survives_the_reseed(river_with_space):
    lime = TreatmentMeasure.objects.get(category="heavy_metal", item_code="quicklime")
    services.save_treatment_measure(measure=lime, dose=0.05)
    assert services.seed_treatment() == 0
    assert TreatmentMeasure.objects.get(pk=lime.pk).dose == 0.05


def _incident(duty_officer, pollutant_code, mass_kg):
    from backend.incidents.services.opening import open_incident

    return open_incident(
        title="镉泄漏",
        kind="water",
        location=Point(112.5, SPILL, srid=4326),
        pollutant=Pollutant.objects.get(code=pollutant_code),
        mass_kg=mass_kg,
        actor=duty_officer,
    )


def test_the_duty_officer_confirms_the_treatment_and_the_dispatches_reserve_stock(
    river_with_space, supplies, duty_officer, api_for, viewer
):
    incident = _incident(duty_officer, "cd", 50)
    proposal = incident.trace["treatment"]
    assert [line["item"] for line in proposal["items"]] == ["quicklime", "pac"]
    url = f"/api/incidents/{incident.pk}/treatment/dispatch/"
    assert api_for(viewer).post(url).status_code in (403, 404)
    assert not Dispatch.objects.exists()

    response = api_for(duty_officer).post(url)
    assert response.status_code == 201, response.json()
    dispatches = Dispatch.objects.filter(incident_id=incident.pk)
    wanted = {(d["depot"], line["item"]): d["take"] for line in proposal["items"] for d in line["depots"]}
    assert {(d.depot.code, d.item.code): float(d.quantity) for d in dispatches} == pytest.approx(wanted)
    assert all(d.status == "requested" and d.destination == "Dam" for d in dispatches)
    reserved = sum((lot.reserved for lot in Lot.objects.all()), Decimal(0))
    assert float(reserved) == pytest.approx(sum(wanted.values()))

    again = api_for(duty_officer).post(url)
    assert again.status_code == 409 and "error" in again.json()
    assert Dispatch.objects.filter(incident_id=incident.pk).count() == len(wanted)


def test_nothing_to_dispatch_is_a_409(river_with_space, duty_officer, api_for):
    incident = _incident(duty_officer, "phenol", 10)  # no activated carbon in any depot
    response = api_for(duty_officer).post(f"/api/incidents/{incident.pk}/treatment/dispatch/")
    assert response.status_code == 409 and not Dispatch.objects.exists()
