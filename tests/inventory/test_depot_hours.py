"""The recommended depot in the room: its duty contact, hours, and whether it is shut now
(inventory/hours.py), as /api/depots/nearest/ gives them to the room's supplies panel."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from backend.directory import services as directory_services
from inventory import hours, services

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("08:00–18:00（节假日值班电话）", (time(8), time(18))),
        ("8:30-17:30", (time(8, 30), time(17, 30))),
        ("周一至周五 9：00至17：00", (time(9), time(17))),
        ("20:00~06:00", (time(20), time(6))),
        ("工作日白天", None),
        ("", None),
    ],
)
def test_opening_hours_are_read_as_people_write_them(text, expected):
    assert hours.opening_range(text) == expected


def test_open_or_closed_by_the_local_clock(depots):
    depot = depots["XZ-YP-01"]
    depot.opening_hours = "08:00–18:00（节假日值班电话）"
    at = lambda h, m=0: datetime(2026, 7, 1, h, m, tzinfo=SHANGHAI)  # noqa: E731
    assert hours.opening_state(depot, at(3)) == {"open_now": False, "opens_at": "08:00"}
    assert hours.opening_state(depot, at(8)) == {"open_now": True, "opens_at": None}
    assert hours.opening_state(depot, at(17, 59)) == {"open_now": True, "opens_at": None}
    assert hours.opening_state(depot, at(18)) == {"open_now": False, "opens_at": "08:00"}
    depot.opening_hours = "20:00-06:00"
    assert hours.opening_state(depot, at(2))["open_now"] is True
    assert hours.opening_state(depot, at(12)) == {"open_now": False, "opens_at": "20:00"}
    depot.is_24h = True
    assert hours.opening_state(depot, at(3)) == {"open_now": True, "opens_at": None}
    depot.is_24h, depot.opening_hours = False, "请电话联系"
    assert hours.opening_state(depot, at(3)) == {"open_now": None, "opens_at": None}


@pytest.fixture
def night_and_day(depots, items, stock, departments):
    """The 原平 depot shut at night with a manager to call; the 定襄 one open 24 hours, whose
    owner's priority-1 contact answers for it."""
    manager = directory_services.save_contact(
        department=departments["environment"], name="李库管", duty_role="仓库管理员", mobile="+8613900000001"
    )
    services.save_depot(depot=depots["XZ-YP-01"], opening_hours="08:00–18:00", manager=manager)
    directory_services.save_contact(
        department=departments["fire"], name="王值班", duty_role="值班员", mobile="+8613900000002", priority=1
    )
    services.save_depot(depot=depots["XZ-DXG-01"], is_24h=True, department=departments["fire"])
    stock(depots["XZ-YP-01"], items["pac"], 10, days=100)
    stock(depots["XZ-DXG-01"], items["pac"], 10, days=100)


def nearest(client):
    rows = client.get("/api/depots/nearest/", {"lon": 112.71, "lat": 38.72, "item": "pac", "quantity": 5}).json()
    return {r["depot"]: r for r in rows}


def test_the_room_sees_a_closed_depot_at_night_with_whom_to_call(api_for, duty_officer, night_and_day):
    with freeze_time("2026-07-01 19:30:00"):  # UTC: 03:30 in Xinzhou
        rows = nearest(api_for(duty_officer))
    shut = rows["XZ-YP-01"]
    assert (shut["open_now"], shut["opens_at"], shut["opening_hours"]) == (False, "08:00", "08:00–18:00")
    assert shut["contact"] == {"name": "李库管", "phone": "+8613900000001"}
    always = rows["XZ-DXG-01"]
    assert (always["open_now"], always["opens_at"], always["is_24h"]) == (True, None, True)
    assert always["contact"] == {"name": "王值班", "phone": "+8613900000002"}


def test_the_same_depot_is_open_by_day(api_for, duty_officer, night_and_day):
    with freeze_time("2026-07-01 02:00:00"):  # 10:00 in Xinzhou
        shut = nearest(api_for(duty_officer))["XZ-YP-01"]
    assert (shut["open_now"], shut["opens_at"]) == (True, None)
