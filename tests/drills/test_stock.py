"""A drill's supply dispatch is simulated: no reservation and no ledger movement, unless the
drill is a live stock exercise; real incidents move real stock."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.gis.geos import Point

from drills import services as drills
from inventory import services as inventory
from inventory.models import Lot, Movement

pytestmark = pytest.mark.django_db


@pytest.fixture
def stock(make_user):
    sandbag = inventory.save_item(
        code="sandbag", name="编织袋", name_en="Sandbag", category="source_cutoff", unit="bag", consumable=True
    )
    depot = inventory.save_depot(
        code="XZ-CITY-01", name="市级库", level="city", location=Point(112.73, 38.42, srid=4326)
    )
    inventory.receive(depot=depot, item=sandbag, quantity=100, lot="L1")
    return depot, sandbag


def run_drill(make_drill, trainer, **fields):
    drill = make_drill(**fields)
    return drills.start_drill(drill, actor=trainer)


def test_a_drill_dispatch_holds_and_moves_nothing(make_drill, trainer, stock):
    depot, sandbag = stock
    drill = run_drill(make_drill, trainer)
    dispatch = inventory.request_dispatch(depot=depot, item=sandbag, quantity=60, incident_id=drill.incident_id)
    assert dispatch.simulated is True
    assert Lot.objects.get().reserved == 0
    inventory.approve_dispatch(dispatch)
    inventory.dispatch_stock(dispatch)
    inventory.close_dispatch(dispatch, returned_quantity=0)
    lot = Lot.objects.get()
    assert lot.quantity == Decimal(100) and lot.reserved == 0
    assert not Movement.objects.exclude(kind="receive").exists()
    # Still realistic: the drill cannot ask for more than the depot holds.
    from backend.api import DomainRefusal

    with pytest.raises(DomainRefusal):
        inventory.request_dispatch(depot=depot, item=sandbag, quantity=101, incident_id=drill.incident_id)


def test_a_live_stock_exercise_moves_real_stock(make_drill, trainer, stock):
    depot, sandbag = stock
    drill = run_drill(make_drill, trainer, live_stock_exercise=True)
    dispatch = inventory.request_dispatch(depot=depot, item=sandbag, quantity=60, incident_id=drill.incident_id)
    assert dispatch.simulated is False and Lot.objects.get().reserved == 60
    inventory.approve_dispatch(dispatch)
    inventory.dispatch_stock(dispatch)
    assert Lot.objects.get().quantity == Decimal(40)
