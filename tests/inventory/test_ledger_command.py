"""verify_ledger: silent success on consistent books, non-zero exit naming the lot on drift."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from inventory import services
from inventory.models import Lot

pytestmark = pytest.mark.django_db


def test_it_reports_a_consistent_ledger(depots, items, stock):
    stock(depots["XZ-CITY-01"], items["sandbag"], 10, days=None)
    services.request_dispatch(depot=depots["XZ-CITY-01"], item=items["sandbag"], quantity=4)
    out = StringIO()
    call_command("verify_ledger", stdout=out)
    assert "consistent" in out.getvalue()


def test_it_fails_on_drift_and_names_the_lot(depots, items, stock):
    stock(depots["XZ-CITY-01"], items["sandbag"], 10, lot="B-7", days=None)
    Lot.objects.update(quantity=12)  # a write that bypassed the services
    out = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_ledger", stdout=out)
    assert "B-7" in out.getvalue() and "expected 10" in out.getvalue()
