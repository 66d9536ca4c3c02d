"""The situation report page and the CAP 1.2 alert, both computed from the incident and its log."""

from __future__ import annotations

from xml.etree import ElementTree as ET

import pytest

pytestmark = pytest.mark.django_db
CAP = "{urn:oasis:names:tc:emergency:cap:1.2}"


def test_the_cap_alert_is_valid_cap_1_2_with_actual_status(api_for, duty_officer, open_water_incident):
    body = open_water_incident(pollutant="cod", mass_kg=50_000)  # predicted above the intake's limit: II
    response = api_for(duty_officer).get(f"/api/incidents/{body['id']}/cap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/cap+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{CAP}alert"
    assert root.find(f"{CAP}status").text == "Actual"
    assert root.find(f"{CAP}msgType").text in {"Alert", "Update"}
    info = root.find(f"{CAP}info")
    assert info.find(f"{CAP}category").text == "Env"
    assert info.find(f"{CAP}severity").text == "Severe"  # level II
    assert "县城水源地" in info.find(f"{CAP}description").text
    circle = info.find(f"{CAP}area/{CAP}circle").text
    assert circle.startswith("38.50050,112.10000 ")  # CAP writes lat,lon


def test_a_drill_is_an_exercise_alert_and_a_closed_incident_a_cancel(api_for, duty_officer, open_water_incident):
    drill = open_water_incident(exercise=True)
    client = api_for(duty_officer)
    root = ET.fromstring(client.get(f"/api/incidents/{drill['id']}/cap.xml").content)
    assert root.find(f"{CAP}status").text == "Exercise"
    assert root.find(f"{CAP}info/{CAP}headline").text.startswith("【演练】")
    client.post(f"/api/incidents/{drill['id']}/close/", {"summary": "演练结束"}, format="json")
    root = ET.fromstring(client.get(f"/api/incidents/{drill['id']}/cap.xml").content)
    assert root.find(f"{CAP}msgType").text == "Cancel"


def test_the_cap_alert_of_a_hidden_incident_is_404(api_for, viewer, open_water_incident):
    drill = open_water_incident(exercise=True)
    assert api_for(viewer).get(f"/api/incidents/{drill['id']}/cap.xml").status_code == 404


def test_the_situation_report_tells_what_the_log_says(client, duty_officer, fire_liaison, api_for, open_water_incident):
    body = open_water_incident(pollutant="cod", mass_kg=50_000)
    fire_task = next(t for t in body["tasks"] if t["department"] == "fire")
    api_for(fire_liaison).post(f"/api/tasks/{fire_task['id']}/acknowledge/")
    api_for(duty_officer).post(f"/api/incidents/{body['id']}/notes/", {"text": "已在石坝处筑坝"}, format="json")
    client.force_login(duty_officer)
    page = client.get(f"/board/incidents/{body['id']}/sitrep/?kind=followup").content.decode()
    assert "续报" in page and "县城水源地" in page and "已在石坝处筑坝" in page
    assert "重大（II级）" in page


def test_the_board_pages_render(client, duty_officer, open_water_incident):
    body = open_water_incident()
    client.force_login(duty_officer)
    for url in ["/board/", "/board/new/", "/board/department/", f"/board/incidents/{body['id']}/"]:
        response = client.get(url)
        assert response.status_code == 200, url
    room = client.get(f"/board/incidents/{body['id']}/").content.decode()
    assert body["short_code"] in room and "leaflet" in room.lower()


def test_the_admin_shows_an_incident_with_its_log(client, make_user, open_water_incident):
    body = open_water_incident()
    admin = make_user("administrator", username="root")
    admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    page = client.get(f"/admin/incidents/incident/{body['id']}/change/")
    assert page.status_code == 200
    assert "plan_activated" in page.content.decode()
    assert client.get("/admin/incidents/incident/").status_code == 200
