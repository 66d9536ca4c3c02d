"""CSV / Excel exchange of the catalogue and the stock, parsed and written by tablib.

An import is all or nothing: every row is validated (by the API's serializers, then the
services) inside one transaction, every bad row is reported with its spreadsheet row number
and field, and if there is any, nothing is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction

from backend import spreadsheets
from backend.domain import DomainRefusal

from . import services
from .models import Item, Lot
from .serializers import ItemSerializer, ReceiptSerializer

CATALOGUE_COLUMNS = ["code", "name", "name_en", "category", "unit", "unit_en", "shelf_life_days", "consumable"]
STOCK_COLUMNS = ["depot", "item", "lot", "quantity", "received_on", "expires_on"]
FORMATS = {".csv": "csv", ".xlsx": "xlsx"}
TRUE_WORDS = {"是": True, "否": False, "可回收": False, "消耗": True}


@dataclass
class RowError:
    row: int  # as the spreadsheet numbers it: the header is row 1
    field: str
    message: str

    def __str__(self):
        return f"row {self.row}, {self.field}: {self.message}"


class ImportFailed(Exception):
    def __init__(self, errors: list[RowError]):
        super().__init__("; ".join(str(e) for e in errors))
        self.errors = errors


def file_format(path: str | Path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise ValueError(f"unsupported file type {suffix!r}: use .csv or .xlsx")
    return FORMATS[suffix]


def read(path: str | Path) -> tablib.Dataset:
    """A file as a dataset; the exports' formula escapes (backend/spreadsheets.py) removed."""
    fmt = file_format(path)
    if fmt == "csv":
        # utf-8-sig: Excel writes a BOM in front of CSV files saved as UTF-8.
        with open(path, encoding="utf-8-sig", newline="") as handle:
            return spreadsheets.load(handle.read(), "csv")
    with open(path, "rb") as handle:
        return spreadsheets.load(handle, "xlsx")


def export(dataset: tablib.Dataset, fmt: str):
    """CSV text or XLSX bytes, every cell escaped so that nothing runs in the reader's spreadsheet."""
    return spreadsheets.export(dataset, fmt)


def write(dataset: tablib.Dataset, path: str | Path) -> None:
    fmt = file_format(path)
    data = export(dataset, fmt)
    if fmt == "csv":
        Path(path).write_text(data, encoding="utf-8-sig")
    else:
        Path(path).write_bytes(data)


def _clean(row: dict) -> dict:
    """Spreadsheet cells → API input: blanks dropped, Excel datetimes to dates, text trimmed."""
    out = {}
    for key, value in row.items():
        key = (key or "").strip()
        if isinstance(value, str):
            value = value.strip()
        if value is None or value == "" or not key:
            continue
        if isinstance(value, datetime):
            value = value.date()
        if isinstance(value, date):
            value = value.isoformat()
        out[key] = TRUE_WORDS.get(value, value) if key == "consumable" else value
    return out


def _errors_of(row: int, detail) -> list[RowError]:
    if isinstance(detail, dict):
        return [RowError(row, field, " ".join(str(m) for m in messages)) for field, messages in detail.items()]
    return [RowError(row, "-", str(detail))]


def _missing_columns(dataset: tablib.Dataset, required: list[str]) -> list[RowError]:
    headers = {(h or "").strip() for h in dataset.headers or []}
    return [RowError(1, name, "column missing") for name in required if name not in headers]


@transaction.atomic
def import_catalogue(dataset: tablib.Dataset) -> int:
    """Create or update items by code. Returns the number of rows imported."""
    errors = _missing_columns(dataset, ["code", "name", "category", "unit"])
    if errors:
        raise ImportFailed(errors)
    seen: dict[str, int] = {}
    for number, raw in enumerate(dataset.dict, start=2):
        data = _clean(raw)
        code = data.get("code")
        if code in seen:
            errors.append(RowError(number, "code", f"duplicate of row {seen[code]}"))
            continue
        seen[code] = number
        existing = Item.objects.filter(code=code).first() if code else None
        body = ItemSerializer(existing, data=data, partial=existing is not None)
        if not body.is_valid():
            errors.extend(_errors_of(number, body.errors))
            continue
        try:
            services.save_item(item=existing, **body.validated_data)
        except ValidationError as exc:
            errors.extend(_errors_of(number, exc.message_dict if hasattr(exc, "error_dict") else exc.messages))
    if errors:
        raise ImportFailed(errors)
    return len(dataset)


@transaction.atomic
def import_stock(dataset: tablib.Dataset, actor=None, reason: str = "import") -> int:
    """Each row is a receipt into a lot (created if new). Returns the number of rows imported."""
    errors = _missing_columns(dataset, ["depot", "item", "quantity"])
    if errors:
        raise ImportFailed(errors)
    for number, raw in enumerate(dataset.dict, start=2):
        body = ReceiptSerializer(data=_clean(raw))
        if not body.is_valid():
            errors.extend(_errors_of(number, body.errors))
            continue
        data = body.validated_data
        try:
            # A savepoint per row: a refused row must not poison the rows checked after it.
            with transaction.atomic():
                services.receive(
                    depot=data["depot"],
                    item=data["item"],
                    quantity=data["quantity"],
                    lot=data["lot"],
                    expires_on=data["expires_on"],
                    received_on=data["received_on"],
                    reason=data["reason"] or reason,
                    actor=actor,
                )
        except ValidationError as exc:
            errors.extend(_errors_of(number, exc.message_dict if hasattr(exc, "error_dict") else exc.messages))
        except DomainRefusal as exc:
            errors.append(RowError(number, "-", exc.error))
    if errors:
        raise ImportFailed(errors)
    return len(dataset)


def export_catalogue() -> tablib.Dataset:
    dataset = tablib.Dataset(headers=CATALOGUE_COLUMNS, title="catalogue")
    for item in Item.objects.order_by("category", "code"):
        dataset.append([getattr(item, name) if getattr(item, name) is not None else "" for name in CATALOGUE_COLUMNS])
    return dataset


def export_stock() -> tablib.Dataset:
    """Lots on hand, in the import's columns (plus reserved, for information)."""
    dataset = tablib.Dataset(headers=[*STOCK_COLUMNS, "reserved", "unit"], title="stock")
    for lot in Lot.objects.filter(quantity__gt=0).select_related("depot", "item").order_by("depot__code", "item__code"):
        dataset.append(
            [
                lot.depot.code,
                lot.item.code,
                lot.code,
                float(lot.quantity),
                lot.received_on.isoformat(),
                lot.expires_on.isoformat() if lot.expires_on else "",
                float(lot.reserved),
                lot.item.unit,
            ]
        )
    return dataset
