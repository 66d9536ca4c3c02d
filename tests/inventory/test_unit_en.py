"""Item.unit_en: every demo item has one; the catalogue's import and export carry it; the
pages show the unit in the page's language (issue 16)."""

from __future__ import annotations

from io import StringIO

import pytest
import tablib
from django.core.management import call_command
from django.utils import translation

from inventory import demo
from inventory.models import Item

pytestmark = pytest.mark.django_db


def test_every_demo_item_has_an_english_unit(departments):
    demo.load()
    assert Item.objects.count() == len(demo.CATALOGUE)
    assert not Item.objects.filter(unit_en="").exists()
    assert Item.objects.get(code="quicklime").unit_en == "t"


def test_the_catalogue_round_trip_keeps_the_english_unit(tmp_path, items):
    Item.objects.filter(code="pac").update(unit="吨", unit_en="t")
    path = tmp_path / "items.csv"
    call_command("export_inventory", "catalogue", str(path), stdout=StringIO())
    exported = tablib.Dataset().load(path.read_text(encoding="utf-8-sig"), format="csv")
    assert "unit_en" in exported.headers
    Item.objects.filter(code="pac").update(unit_en="")
    call_command("import_inventory", "catalogue", str(path), stdout=StringIO())
    assert Item.objects.get(code="pac").unit_en == "t"


def test_the_api_gives_both_units(api_for, viewer, items):
    Item.objects.filter(code="pac").update(unit="吨", unit_en="t")
    row = api_for(viewer).get("/api/items/", {"page_size": 100}).json()["results"]
    pac = next(r for r in row if r["code"] == "pac")
    assert (pac["unit"], pac["unit_en"]) == ("吨", "t")


def test_pages_show_the_unit_in_the_page_language(client, viewer, depots, items, stock):
    Item.objects.filter(code="pac").update(unit="吨", unit_en="t")
    stock(depots["XZ-CITY-01"], items["pac"], 7, days=100)
    client.force_login(viewer)
    chinese = client.get("/inventory/depots/XZ-CITY-01/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "7 吨" in chinese
    with translation.override("en"):
        client.cookies["django_language"] = "en"
        english = client.get("/inventory/depots/XZ-CITY-01/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "7 t" in english and "吨" not in english
    assert Item.objects.get(code="pac").local_unit() == "吨"
