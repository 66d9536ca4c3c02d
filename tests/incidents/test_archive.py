"""The archive: closed incidents searched by date, river, pollutant and level, with reports."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.utils import timezone

from backend.incidents.models import Incident
from backend.incidents.services.lifecycle import close_incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed(open_water_incident):
    benzene = open_water_incident(title="苯酚泄漏", pollutant="cyanide")
    other = open_water_incident(title="柴油泄漏", location={"type": "Point", "coordinates": [112.5, 38.9]})
    still_open = open_water_incident(title="仍在处置")
    for made in (benzene, other):
        incident = Incident.objects.get(pk=made["id"])
        close_incident(incident, "处置完毕")
    Incident.objects.filter(pk=other["id"]).update(
        level=Incident.Level.III, reported_at=timezone.now() - timezone.timedelta(days=40)
    )
    return {"benzene": benzene["id"], "other": other["id"], "open": still_open["id"]}


def rows(client, **query):
    page = client.get("/board/archive/", query)
    assert page.status_code == 200
    return sorted(int(pk) for pk in __import__("re").findall(r'<tr data-incident="(\d+)"', page.content.decode())), page


def test_only_closed_incidents_are_listed_with_their_reports(client, duty_officer, closed):
    client.force_login(duty_officer)
    found, page = rows(client)
    assert found == sorted([closed["benzene"], closed["other"]])
    assert f"/board/incidents/{closed['benzene']}/sitrep/" in page.content.decode()
    assert f'href="/board/incidents/{closed["benzene"]}/"' in page.content.decode()


def test_search_by_river_pollutant_level_and_date(client, duty_officer, closed):
    client.force_login(duty_officer)
    assert rows(client, river="hutuo-t")[0] == [closed["benzene"]]  # the other snapped to no river
    assert rows(client, pollutant="cyanide")[0] == [closed["benzene"]]
    assert rows(client, level="3")[0] == [closed["other"]]
    today = timezone.localdate().isoformat()
    assert rows(client, since=today)[0] == [closed["benzene"]]
    assert rows(client, until=(timezone.localdate() - timezone.timedelta(days=30)).isoformat())[0] == [closed["other"]]
    assert rows(client, q="苯酚")[0] == [closed["benzene"]]
    assert rows(client, level="1")[0] == []
    benzene_level = Incident.objects.get(pk=closed["benzene"]).level
    assert benzene_level != 3 and rows(client, level=str(benzene_level))[0] == [closed["benzene"]]


def test_the_archive_is_in_the_navigation_and_shows_english_names(client, duty_officer, closed):
    client.force_login(duty_officer)
    assert 'href="/board/archive/"' in client.get("/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/board/archive/", {"pollutant": "phenol"}).content.decode()
    assert "Hutuo" in page and "滹沱河" not in page
