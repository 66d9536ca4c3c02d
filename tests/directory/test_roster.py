"""Duty roster: who is on duty now, the fallback, and the coverage check."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from backend.directory import services

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")
NOON = datetime(2026, 11, 30, 12, 0, tzinfo=SHANGHAI)


@pytest.fixture
def fire_people(departments):
    fire = departments["fire"]
    return [
        services.save_contact(department=fire, name="陈磊", mobile="13800000001", priority=1),
        services.save_contact(department=fire, name="杨帆", mobile="13800000002", priority=2),
        services.save_contact(department=fire, name="周涛", mobile="13800000003", priority=1),
    ]


def test_on_duty_is_whoever_is_on_shift(departments, fire_people):
    chen, yang, _zhou = fire_people
    services.save_shift(
        department=departments["fire"], contact=yang, start=NOON - timedelta(hours=4), end=NOON + timedelta(hours=8)
    )
    services.save_shift(
        department=departments["fire"], contact=chen, start=NOON + timedelta(hours=8), end=NOON + timedelta(hours=20)
    )
    assert services.on_duty(departments["fire"], NOON) == [yang]
    assert services.on_duty(departments["fire"], NOON + timedelta(hours=8)) == [chen]


def test_without_a_shift_the_priority_one_contacts_are_on_duty(departments, fire_people):
    chen, _yang, zhou = fire_people
    assert services.on_duty(departments["fire"], NOON) == [chen, zhou]
    zhou.active = False
    zhou.save()
    assert services.on_duty(departments["fire"], NOON) == [chen]


def test_a_shift_must_end_after_it_starts_and_belong_to_the_department(departments, fire_people):
    with pytest.raises(ValidationError) as caught:
        services.save_shift(department=departments["fire"], contact=fire_people[0], start=NOON, end=NOON)
    assert "end" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.save_shift(
            department=departments["police"], contact=fire_people[0], start=NOON, end=NOON + timedelta(hours=1)
        )
    assert "contact" in caught.value.message_dict


def test_roster_gaps_lists_the_uncovered_stretches(departments, fire_people):
    start, end = NOON, NOON + timedelta(hours=24)
    services.save_shift(
        department=departments["fire"],
        contact=fire_people[0],
        start=NOON - timedelta(hours=1),
        end=NOON + timedelta(hours=10),
    )
    services.save_shift(
        department=departments["fire"],
        contact=fire_people[1],
        start=NOON + timedelta(hours=12),
        end=NOON + timedelta(hours=30),
    )
    gaps = services.roster_gaps(start, end)
    assert gaps["fire"] == [(NOON + timedelta(hours=10), NOON + timedelta(hours=12))]
    assert gaps["police"] == [(start, end)]


def test_a_liaison_cannot_roster_another_department(api_for, fire_liaison, departments, fire_people):
    police = services.save_contact(department=departments["police"], name="张伟", mobile="13800000010")
    body = {
        "department": "police",
        "contact": police.pk,
        "start": NOON.isoformat(),
        "end": (NOON + timedelta(hours=12)).isoformat(),
    }
    assert api_for(fire_liaison).post("/api/shifts/", body, format="json").status_code == 403
    own = {**body, "department": "fire", "contact": fire_people[0].pk}
    response = api_for(fire_liaison).post("/api/shifts/", own, format="json")
    assert response.status_code == 201, response.content


def test_the_roster_page_shows_the_week(client, duty_officer, departments, fire_people):
    services.save_shift(
        department=departments["fire"], contact=fire_people[1], start=NOON, end=NOON + timedelta(hours=12)
    )
    client.force_login(duty_officer)
    page = client.get("/directory/fire/roster/?week=2026-11-30")
    assert page.status_code == 200
    assert "杨帆" in page.content.decode()
