"""Reporting deadlines as tasks of the coordinating department (issue 15; 《突发环境事件信息报告
办法》): 4 h for IV/III, 2 h for II/I and every II/I trigger, re-timed to the earlier of its due
time and the change + 2 h, completed with who reported to whom, how and when."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.contrib.gis.geos import Point

from backend.incidents import services
from backend.incidents.models import IncidentEvent, ReportingDeadline, Task

pytestmark = pytest.mark.django_db

T = datetime.fromisoformat("2026-11-30T08:00:00+08:00")
LAND = Point(112.7, 38.4, srid=4326)
ABOVE_THE_INTAKE = Point(112.1, 38.5005, srid=4326)
BELOW_THE_INTAKE = Point(112.7, 38.5005, srid=4326)  # only the Shanxi–Hebei line lies below


def reporting_task(incident) -> Task:
    return Task.objects.get(incident=incident, source="reporting")


def open_(duty_officer, *, kind="air", location=LAND, now=T, **fields):
    return services.open_incident(title="测试事件", kind=kind, location=location, actor=duty_officer, now=now, **fields)


def test_a_level_iv_event_is_reported_within_4_hours_to_government_and_the_next_higher_department(
    duty_officer, departments
):
    incident = open_(duty_officer)
    task = reporting_task(incident)
    assert task.department.code == "environment"
    assert task.due == T + timedelta(hours=4)
    deadline = incident.reporting_deadline
    assert deadline.procedure == "general" and deadline.triggers == []
    assert deadline.recipients == ["忻州市人民政府", "山西省生态环境厅"]
    assert "忻州市人民政府、山西省生态环境厅" in task.text and "4小时" in task.text


def test_the_clock_runs_from_when_the_bureau_learned_of_it(duty_officer, departments):
    # Occurred at 02:00, learned at 08:00: the deadline counts from 08:00.
    incident = open_(duty_officer, occurred_at=T - timedelta(hours=6))
    assert reporting_task(incident).due == incident.reported_at + timedelta(hours=4) == T + timedelta(hours=4)


def test_a_level_ii_event_is_reported_within_2_hours_and_to_the_ministry(duty_officer, departments):
    incident = open_(duty_officer, evacuated=12_000)
    assert incident.level == 2
    assert reporting_task(incident).due == T + timedelta(hours=2)
    deadline = incident.reporting_deadline
    assert deadline.procedure == "serious" and deadline.triggers == ["level"]
    assert deadline.recipients == ["忻州市人民政府", "山西省生态环境厅", "生态环境部"]


@pytest.mark.parametrize(
    ("fields", "triggers"),
    [
        # drinking-water source possibly affected: the county intake lies below, no mass known
        # (the Shanxi–Hebei line lies below it too)
        (
            {"kind": "water", "location": ABOVE_THE_INTAKE, "pollutant": "petroleum"},
            ["drinking_water", "cross_province"],
        ),
        ({"pollutant": "cr6"}, ["heavy_metal"]),  # heavy metals or metalloids
        ({"pollutant": "as"}, ["heavy_metal"]),
        # possible cross-province impact: only the Shanxi–Hebei line lies below
        ({"kind": "water", "location": BELOW_THE_INTAKE}, ["cross_province"]),
    ],
)
def test_each_ii_i_trigger_at_opening_sets_the_2_hour_procedure(duty_officer, river, fields, triggers):
    from plans.models import Pollutant

    if "pollutant" in fields:
        fields = {**fields, "pollutant": Pollutant.objects.get(code=fields["pollutant"])}
    incident = open_(duty_officer, **fields)
    assert incident.level == 4  # the level alone would allow 4 hours
    deadline = incident.reporting_deadline
    assert deadline.triggers == triggers
    assert deadline.procedure == "serious"
    assert reporting_task(incident).due == T + timedelta(hours=2)
    assert "生态环境部" in deadline.recipients


@pytest.mark.parametrize("trigger", ["sensitive_groups", "officer"])
def test_the_officer_declares_a_trigger_and_the_open_task_is_re_timed(api_for, duty_officer, departments, trigger):
    incident = open_(duty_officer, now=datetime.now().astimezone())
    task = reporting_task(incident)
    response = api_for(duty_officer).post(
        f"/api/incidents/{incident.pk}/reporting-procedure/", {"trigger": trigger, "note": "下游有学校"}, format="json"
    )
    assert response.status_code == 200, response.content
    reporting = response.json()["reporting"]
    assert reporting["procedure"] == "serious" and reporting["triggers"] == [trigger]
    task.refresh_from_db()
    # Declared seconds after opening: the change + 2 h is earlier than the 4 h deadline.
    assert task.due < incident.reported_at + timedelta(hours=2, minutes=1)
    assert IncidentEvent.objects.filter(incident=incident, event_type="reporting_trigger_declared").count() == 1
    bad = api_for(duty_officer).post(f"/api/incidents/{incident.pk}/reporting-procedure/", {"trigger": "x"})
    assert bad.status_code == 400 and "trigger" in bad.json()


def test_a_level_raised_after_one_hour_re_times_to_the_change_plus_2_hours(duty_officer, departments):
    incident = open_(duty_officer)
    services.change_level(incident, 2, "已核实：县城水源地取水中断", actor=duty_officer, now=T + timedelta(hours=1))
    task = reporting_task(incident)
    assert task.due == T + timedelta(hours=3)  # earlier of T+4h and T+1h+2h
    assert "生态环境部" in task.text
    event = IncidentEvent.objects.get(incident=incident, event_type="reporting_retimed")
    assert event.data["procedure"] == "serious" and event.data["triggers"] == ["level"]
    assert datetime.fromisoformat(event.data["previous_due"]) == T + timedelta(hours=4)


def test_a_late_change_keeps_the_earlier_due_time(duty_officer, departments):
    incident = open_(duty_officer)
    services.update_impact(incident, evacuated=20_000, actor=duty_officer, now=T + timedelta(hours=3, minutes=30))
    assert reporting_task(incident).due == T + timedelta(hours=4)  # earlier of T+4h and T+5h30
    assert ReportingDeadline.objects.get(incident=incident).procedure == "serious"


def test_the_procedure_never_relaxes(duty_officer, departments):
    incident = open_(duty_officer, evacuated=12_000)
    services.update_impact(incident, evacuated=100, actor=duty_officer, now=T + timedelta(minutes=20))
    incident.refresh_from_db()
    assert incident.level == 4
    assert incident.reporting_deadline.procedure == "serious"
    assert reporting_task(incident).due == T + timedelta(hours=2)


def test_in_an_exercise_the_reporting_task_exists_only_when_the_coordinator_takes_part(duty_officer, departments):
    without = open_(duty_officer, exercise=True, departments=[departments["fire"]])
    assert not Task.objects.filter(incident=without, source="reporting").exists()
    with_ = open_(duty_officer, exercise=True, departments=[departments["fire"], departments["environment"]])
    assert reporting_task(with_).due == T + timedelta(hours=4)


def test_completing_records_who_reported_to_whom_how_and_when(api_for, duty_officer, departments):
    incident = open_(duty_officer, now=datetime.now().astimezone() - timedelta(hours=1))
    task = reporting_task(incident)
    client = api_for(duty_officer)
    missing = client.post(f"/api/tasks/{task.pk}/complete/", {"note": "已报"}, format="json")
    assert missing.status_code == 400
    assert {"reported_by", "reported_to", "via"} <= set(missing.json())
    when = incident.reported_at + timedelta(minutes=50)
    response = client.post(
        f"/api/tasks/{task.pk}/complete/",
        {"reported_by": "王伟", "reported_to": ["忻州市人民政府"], "via": "telephone", "reported_at": when.isoformat()},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done"
    assert "王伟" in response.json()["completion_note"] and "电话" in response.json()["completion_note"]
    deadline = ReportingDeadline.objects.get(incident=incident)
    assert (deadline.reported_by, deadline.reported_to, deadline.via) == ("王伟", ["忻州市人民政府"], "telephone")
    assert deadline.reported_at == when
    event = IncidentEvent.objects.get(incident=incident, event_type="report_delivered")
    assert event.data["missing"] == ["山西省生态环境厅"] and event.data["late"] is False


def test_an_intake_serving_no_recorded_town_still_triggers_the_2_hour_procedure(duty_officer, river):
    from plans import services as plans
    from plans.models import RiverFeature

    RiverFeature.objects.filter(receptor_type="boundary").delete()
    RiverFeature.objects.filter(name="县城水源地").update(serves="")
    plans.save_feature(
        river=river, kind="receptor", name="村镇集中式水源", location=Point(112.6, 38.5, srid=4326),
        receptor_type="drinking_water", water_class="II",
    )  # fmt: skip
    incident = open_(duty_officer, kind="water", location=ABOVE_THE_INTAKE)
    assert incident.potential_reasons == []  # no town served: no level reason
    assert incident.reporting_deadline.triggers == ["drinking_water"]


def test_a_small_spill_below_every_limit_keeps_the_4_hour_procedure(duty_officer, river):
    from plans.models import Pollutant

    incident = open_(duty_officer, kind="water", location=ABOVE_THE_INTAKE, pollutant=Pollutant.objects.get(code="cod"),
                     mass_kg=1)  # fmt: skip
    assert incident.reporting_deadline.triggers == []
    assert reporting_task(incident).due == T + timedelta(hours=4)


def test_a_report_already_made_under_4_hours_leaves_a_supplementary_task_for_the_new_recipients(
    duty_officer, departments
):
    incident = open_(duty_officer)
    task = reporting_task(incident)
    services.record_delivery(
        task, reported_by="王伟", reported_to=["忻州市人民政府", "山西省生态环境厅"], via="written",
        reported_at=T + timedelta(hours=1), actor=duty_officer, now=T + timedelta(hours=1),
    )  # fmt: skip
    services.change_level(incident, 2, "已核实：县城水源地取水中断", actor=duty_officer, now=T + timedelta(hours=5))
    supplement = Task.objects.filter(incident=incident, source="reporting").exclude(pk=task.pk).get()
    assert supplement.due == T + timedelta(hours=7)
    assert "生态环境部" in supplement.text and "忻州市人民政府" not in supplement.text
    event = IncidentEvent.objects.get(incident=incident, event_type="reporting_retimed")
    assert event.data["task_open"] is False and event.data["supplementary_task"] == supplement.pk
