"""Inventory personas and reference data: a small catalogue, depots, a bound depot manager."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.gis.geos import Point
from django.utils import timezone

from backend.directory import roles
from inventory import services
from inventory.models import Depot, Item


@pytest.fixture
def items(db) -> dict[str, Item]:
    specs = [
        ("sandbag", "编织袋（沙袋）", "Sandbag", "source_cutoff", "bag", None, True),
        ("pac", "聚合氯化铝（PAC）", "Polyaluminium chloride", "treatment", "t", 730, True),
        ("pump", "潜水泵", "Submersible pump", "collection", "set", None, False),
    ]
    made = {}
    for code, name, name_en, category, unit, shelf_life, consumable in specs:
        made[code] = services.save_item(
            code=code,
            name=name,
            name_en=name_en,
            category=category,
            unit=unit,
            shelf_life_days=shelf_life,
            consumable=consumable,
        )
    return made


@pytest.fixture
def depots(db) -> dict[str, Depot]:
    specs = [
        ("XZ-CITY-01", "忻州市环境应急物资储备库", "city", 112.73, 38.42),
        ("XZ-YP-01", "原平市环境应急物资储备库", "county", 112.71, 38.73),
        ("XZ-DX-01", "代县环境应急物资储备库", "county", 112.96, 39.07),
        ("XZ-DXG-01", "定襄县环境应急物资储备库", "county", 112.96, 38.47),
    ]
    return {
        code: services.save_depot(code=code, name=name, level=level, location=Point(lon, lat, srid=4326))
        for code, name, level, lon, lat in specs
    }


@pytest.fixture
def depot_manager(make_user, depots):
    """The manager of the city depot (and of no other)."""
    user = make_user(roles.DEPOT_MANAGER, username="depot")
    depots["XZ-CITY-01"].managers.add(user)
    return user


@pytest.fixture
def admin_user(make_user):
    user = make_user(roles.ADMINISTRATOR, username="boss")
    user.is_superuser = True
    user.save()
    return user


@pytest.fixture
def stock():
    """stock(depot, item, quantity, lot="L1", days=365) → a receive movement (expiry in `days`)."""

    def receive(depot, item, quantity, lot="L1", days: int | None = 365, received_days_ago: int = 30):
        # The bureau's date (Asia/Shanghai), not the machine's: they differ for 8 hours a day.
        today = timezone.localdate()
        return services.receive(
            depot=depot,
            item=item,
            quantity=quantity,
            lot=lot,
            expires_on=None if days is None else today + timedelta(days=days),
            received_on=today - timedelta(days=received_days_ago),
        )

    return receive


@pytest.fixture
def make_incident(db):
    """make_incident() → the id of a real incident row. With incidents installed, inventory
    refuses incident ids that name no incident (inventory.hooks.incident_exists_checks), so
    tests that dispatch for an incident need one; a bare row is enough (no trace, no tasks)."""
    from backend.incidents.models import Incident

    made = []

    def make(title: str = "罐车侧翻泄漏") -> int:
        now = timezone.now()
        incident = Incident.objects.create(
            short_code=f"T{len(made) + 1:05d}",
            title=title,
            kind=Incident.Kind.WATER,
            location=Point(112.73, 38.42, srid=4326),
            occurred_at=now,
            reported_at=now,
        )
        made.append(incident)
        return incident.pk

    return make
