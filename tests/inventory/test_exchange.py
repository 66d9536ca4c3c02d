"""CSV/Excel import and export: a bad row names its row and field, and nothing is written."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from inventory.models import Item, Lot, Movement

pytestmark = pytest.mark.django_db


def write_csv(path, text: str):
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_stock_import_with_a_bad_row_writes_nothing(tmp_path, depots, items):
    expiry = (timezone.localdate() + timedelta(days=200)).isoformat()
    path = write_csv(
        tmp_path / "stock.csv",
        "depot,item,lot,quantity,received_on,expires_on\n"
        f"XZ-CITY-01,sandbag,SB-1,100,,\n"
        f"XZ-CITY-01,pac,PAC-1,2.5,,{expiry}\n"
        f"XZ-YP-01,pac,PAC-2,-3,,{expiry}\n"
        f"XZ-YP-01,pac,PAC-3,1,,\n",
    )
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("import_inventory", "stock", path, stderr=err)
    assert "row 4, quantity" in err.getvalue()
    assert "row 5, expires_on" in err.getvalue()
    assert not Lot.objects.exists() and not Movement.objects.exists()


def test_a_good_stock_import_receives_every_row(tmp_path, depots, items, duty_officer):
    path = write_csv(
        tmp_path / "stock.csv", "depot,item,lot,quantity\nXZ-CITY-01,sandbag,SB-1,100\nXZ-YP-01,pump,P-1,2\n"
    )
    call_command("import_inventory", "stock", path, "--user", "duty", stdout=StringIO())
    assert Lot.objects.count() == 2
    assert set(Movement.objects.values_list("kind", "actor__username")) == {("receive", "duty")}


def test_a_catalogue_import_with_a_bad_row_writes_nothing(tmp_path, db):
    path = write_csv(
        tmp_path / "items.csv",
        "code,name,name_en,category,unit,shelf_life_days,consumable\n"
        "lime,生石灰,Quicklime,treatment,t,365,是\n"
        "boom,围油栏,Oil boom,containment,m,,否\n"
        "ghost,幽灵,Ghost,magic,kg,,\n",
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_inventory", "catalogue", path, stderr=err)
    assert "row 4, category" in err.getvalue()
    assert not Item.objects.exists()


def test_excel_round_trip_of_catalogue_and_stock(tmp_path, depots, items, stock):
    stock(depots["XZ-CITY-01"], items["pac"], 3, lot="PAC-X", days=100)
    call_command("export_inventory", "catalogue", str(tmp_path / "items.xlsx"), stdout=StringIO())
    call_command("export_inventory", "stock", str(tmp_path / "stock.xlsx"), stdout=StringIO())
    Item.objects.filter(code="pump").update(name="renamed")

    call_command("import_inventory", "catalogue", str(tmp_path / "items.xlsx"), stdout=StringIO())
    call_command("import_inventory", "stock", str(tmp_path / "stock.xlsx"), stdout=StringIO())

    assert Item.objects.get(code="pump").name == "潜水泵"
    assert Lot.objects.get(code="PAC-X").quantity == 6  # the export received again into the same lot


def test_the_import_page_lists_bad_rows_and_writes_nothing(client, duty_officer, depots, items):
    client.force_login(duty_officer)
    upload = SimpleUploadedFile(
        "stock.csv", b"depot,item,lot,quantity\nXZ-CITY-01,sandbag,A,5\nXZ-CITY-01,sandbag,B,x\n"
    )
    page = client.post("/inventory/import/", {"what": "stock", "file": upload}).content.decode()
    assert 'data-testid="import-errors"' in page and "<td>3</td><td>quantity</td>" in page
    assert not Lot.objects.exists()

    good = SimpleUploadedFile("stock.csv", b"depot,item,lot,quantity\nXZ-CITY-01,sandbag,A,5\n")
    assert client.post("/inventory/import/", {"what": "stock", "file": good}).status_code == 302
    assert Lot.objects.get().quantity == 5


def test_exports_download_and_imports_are_for_the_duty_office(client, viewer, depots, items, stock):
    stock(depots["XZ-CITY-01"], items["sandbag"], 5, lot="SB-9", days=None)
    client.force_login(viewer)
    response = client.get("/inventory/export/stock.csv")
    assert response.status_code == 200 and "SB-9" in response.content.decode("utf-8-sig")
    assert client.get("/inventory/export/catalogue.xlsx")["Content-Type"].startswith("application/vnd.openxml")
    assert client.get("/inventory/import/").status_code == 403


def test_the_shorthand_commands(tmp_path, depots, items, stock):
    stock(depots["XZ-CITY-01"], items["pac"], 3, lot="PAC-Y", days=100)
    call_command("export_stock", str(tmp_path / "stock.csv"), stdout=StringIO())
    call_command("export_catalogue", str(tmp_path / "items.csv"), stdout=StringIO())
    call_command("import_catalogue", str(tmp_path / "items.csv"), stdout=StringIO())
    call_command("import_stock", str(tmp_path / "stock.csv"), stdout=StringIO())
    assert Lot.objects.get(code="PAC-Y").quantity == 6
    bad = write_csv(tmp_path / "bad.csv", "depot,item,quantity\nXZ-CITY-01,pac,1\n")
    with pytest.raises(CommandError):
        call_command("import_stock", bad, stderr=StringIO())
    assert Lot.objects.get(code="PAC-Y").quantity == 6
