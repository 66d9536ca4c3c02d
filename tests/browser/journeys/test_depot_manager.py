"""The depot manager at a desk: a requested dispatch named by its incident's short code and
title; approve, dispatch, deliver, each step shown on the page."""

from __future__ import annotations

import pytest
from django.utils import translation

from inventory import services as inventory
from inventory.models import Depot, Dispatch, Lot

from .conftest import open_incident, user

pytestmark = pytest.mark.browser


def label(status: str) -> str:
    with translation.override("zh-hans"):
        return str(Dispatch.Status(status).label)


def test_the_depot_manager_works_a_dispatch_on_screen(journey):
    incident = open_incident("坑塘旁罐车侧翻苯酚泄漏（调拨）")
    depot = Depot.objects.get(code="XZ-CITY-01")
    lot = Lot.objects.filter(depot=depot, quantity__gt=10).order_by("pk").first()
    dispatch = inventory.request_dispatch(
        depot=depot, item=lot.item, quantity=5, incident_id=incident.pk, actor=user("duty"), destination="忻府区坑塘"
    )
    manager = journey("depot", "depot")

    manager.goto("/inventory/dispatches/")
    row = f"tr[data-dispatch='{dispatch.pk}']"
    manager.see(row, incident.short_code, "坑塘旁罐车侧翻苯酚泄漏（调拨）", label("requested"))
    manager.shot("01-dispatches")
    manager.page.click(f"{row} a[href$='/dispatches/{dispatch.pk}/']")
    manager.act()
    manager.see("[data-testid=dispatch-incident]", incident.short_code)
    manager.see("[data-testid=depot-duty]")
    manager.see("[data-testid=reserved]", f"#{dispatch.pk}")
    manager.shot("02-requested")

    for step, status in (("approve", "approved"), ("dispatch", "dispatched"), ("deliver", "delivered")):
        manager.page.click(f"form[action$='/{step}/'] button")
        manager.act()
        manager.see("[data-testid=dispatch-status]", label(status))
        assert Dispatch.objects.get(pk=dispatch.pk).status == status
    manager.see(".history", label("delivered"))
    manager.shot("03-delivered")
