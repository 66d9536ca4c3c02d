"""The situation report page and the CAP 1.2 alert, both computed from the incident and its log."""

from __future__ import annotations

import re
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


@pytest.fixture
def sitrep_page(client, duty_officer, api_for, open_water_incident):
    """The sitrep of a spill with a note and no samples (so one optional section is absent)."""
    body = open_water_incident(description="罐车侧翻，约2吨废液入河。")
    api_for(duty_officer).post(f"/api/incidents/{body['id']}/notes/", {"text": "已在石坝处筑坝"}, format="json")
    client.force_login(duty_officer)
    return client.get(f"/board/incidents/{body['id']}/sitrep/").content.decode()


def test_the_sitrep_distance_column_is_in_km(sitrep_page):
    # 县城水源地 lies 34.9 km below the spill: the 距离(km) column says so, not 34892.8.
    assert re.search(r"<td>县城水源地</td><td>([^<]*)</td>", sitrep_page).group(1) == "34.9"


def test_the_sitrep_ends_a_description_with_one_full_stop(sitrep_page):
    assert "。。" not in sitrep_page and "约2吨废液入河。" in sitrep_page


def test_the_sitrep_numbers_its_sections_without_a_gap(sitrep_page):
    assert re.findall(r"<h2>([一二三四五六七八九十]+)、", sitrep_page) == ["一", "二", "三", "四"]


def test_the_sitrep_appendix_tells_events_in_chinese(sitrep_page):
    appendix = sitrep_page.split("附：事件日志", 1)[1]
    for raw in ("opened", "plan_activated", "task_created", "note"):
        assert not re.search(rf"\b{raw}\b", appendix), raw
    assert "启动“一河一策”应急预案" in appendix and "现场动态：已在石坝处筑坝" in appendix
