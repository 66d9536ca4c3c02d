"""Is a depot open now, and when does it open? Read from its opening hours as people write them
("08:00–18:00（节假日值班电话）", "8:00-17:30"): the first time range in the text. A depot open
24 hours is always open; hours with no time range leave the answer unknown (None), never a
guess. Times are local (settings.TIME_ZONE): the hours on the depot's door.
"""

from __future__ import annotations

import re
from datetime import datetime, time

from django.utils import timezone

from backend.directory.services import on_duty

from .models import Depot

RANGE = re.compile(r"(\d{1,2})[:：](\d{2})\s*[-–—~～至到]\s*(\d{1,2})[:：](\d{2})")


def opening_range(text: str) -> tuple[time, time] | None:
    match = RANGE.search(text or "")
    if not match:
        return None
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59:
        return None
    return time(h1, m1), time(0, 0) if h2 == 24 else time(h2, m2)


def opening_state(depot: Depot, now: datetime | None = None) -> dict:
    """{"open_now": True | False | None (unknown), "opens_at": "08:00" when closed}."""
    if depot.is_24h:
        return {"open_now": True, "opens_at": None}
    hours = opening_range(depot.opening_hours)
    if hours is None:
        return {"open_now": None, "opens_at": None}
    start, end = hours
    local = timezone.localtime(now or timezone.now()).time()
    # A range past midnight (20:00–06:00) is open on either side of it.
    is_open = start <= local < end if start < end else (local >= start or local < end)
    return {"open_now": is_open, "opens_at": None if is_open else start.strftime("%H:%M")}


def duty_contact(depot: Depot, now: datetime | None = None) -> dict | None:
    """Who answers for the depot: its manager, else whoever its owner has on duty."""
    contact = depot.manager if depot.manager and depot.manager.active else None
    if contact is None and depot.department is not None:
        contact = next(iter(on_duty(depot.department, now)), None)
    return {"name": contact.name, "phone": contact.mobile} if contact else None


def depot_availability(depot: Depot, now: datetime | None = None) -> dict:
    """What the room shows beside a recommended depot: hours, open or closed now, who to call."""
    return {
        "opening_hours": depot.opening_hours,
        "is_24h": depot.is_24h,
        **opening_state(depot, now),
        "contact": duty_contact(depot, now),
    }
