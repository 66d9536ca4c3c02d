"""The JavaScript of a page gets names in the page's language from the API (issue 16 item 9):
the language cookie the page sends; an API client without one keeps the Chinese names."""

from __future__ import annotations

from django.conf import settings


def test_a_task_names_its_department_river_and_pollutant_in_the_callers_language(
    api_for, fire_liaison, open_water_incident
):
    body = open_water_incident(pollutant="cod", mass_kg=500)
    client = api_for(fire_liaison)

    def task():
        tasks = client.get("/api/tasks/").json()["results"]
        return next(t for t in tasks if t["incident"] == body["id"] and t["department"] == "fire")

    chinese = task()
    assert chinese["department_name"] == "忻州市消防救援支队" and chinese["incident_info"]["river"] == "滹沱河"
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = task()
    assert english["department_name"] == "Xinzhou Fire and Rescue Detachment"
    assert english["incident_info"]["river"] == "Hutuo"
    assert english["incident_info"]["pollutant"] != chinese["incident_info"]["pollutant"]
    assert english["incident_info"]["pollutant"].isascii()


def test_the_sitrep_stays_chinese_inside_an_english_page(client, duty_officer, open_water_incident):
    body = open_water_incident()
    client.force_login(duty_officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"/board/incidents/{body['id']}/sitrep/?kind=followup").content.decode()
    assert '<article class="sitrep" lang="zh-hans">' in page and "关于罐车侧翻泄漏的续报" in page
    assert ">Initial report</a>" in page and ">Final report</a>" in page and "<title>Follow-up report ·" in page
