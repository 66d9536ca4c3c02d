"""The MSEL (master scenario events list) as CSV or Excel, through tablib.

Import checks every row first and writes nothing when one is bad: the answer names each bad
row (1 = the first row under the header; `line` counts the header too, as a spreadsheet
shows it) and field. Rows are matched to existing injects by number; rows without a number
are appended.
"""

from __future__ import annotations

import tablib
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from backend import spreadsheets
from backend.directory.models import Department

from .models import Drill
from .services import save_inject

COLUMNS = [
    "number", "offset_minutes", "from", "to", "message", "expected_action", "objective", "ack_minutes",
    "complete_minutes",
]  # fmt: skip
REQUIRED = ["offset_minutes", "from", "to", "message"]
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


class MselError(Exception):
    """A MSEL file that cannot be imported; `rows` is [{"row", "line", "field", "message"}]."""

    def __init__(self, rows: list[dict], message: str = ""):
        super().__init__(message or f"{len(rows)} bad row(s)")
        self.rows = rows
        self.message = message


def export_msel(drill: Drill, file_format: str = "csv") -> tuple[bytes, str]:
    data = tablib.Dataset(headers=COLUMNS, title="MSEL")
    for inject in drill.injects.select_related("to_department").order_by("offset_minutes", "number"):
        data.append(
            [
                inject.number, inject.offset_minutes, inject.from_sender, inject.to_department.code, inject.message,
                inject.expected_action, inject.objective, inject.ack_minutes or "", inject.complete_minutes or "",
            ]
        )  # fmt: skip
    # Escaped: a message starting with "=" must not run in the reader's spreadsheet.
    if file_format == "xlsx":
        return spreadsheets.export(data, "xlsx"), FORMATS["xlsx"]
    # A BOM so that Excel opens the Chinese text as UTF-8.
    return ("\ufeff" + spreadsheets.export(data, "csv")).encode("utf-8"), FORMATS["csv"]


def _load(content: bytes, name: str) -> tablib.Dataset:
    if content[:2] == b"PK" or name.lower().endswith(".xlsx"):
        try:
            return spreadsheets.load(content, "xlsx")
        except Exception:
            raise MselError([], _("This is not a readable Excel (.xlsx) file.")) from None
    for encoding in ("utf-8-sig", "gb18030"):  # Excel on Chinese Windows saves CSV as GB18030
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise MselError([], _("The CSV file is neither UTF-8 nor GB18030."))
    return spreadsheets.load(text, "csv")


def _number(value, field: str, *, integer: bool, required: bool = False):
    if value in (None, ""):
        if required:
            raise ValueError(_("A value is required."))
        return None
    try:
        number = float(str(value).strip())
    except ValueError:
        raise ValueError(_("“%(v)s” is not a number.") % {"v": value}) from None
    if number < 0:
        raise ValueError(_("Zero or more."))
    if integer:
        if number != int(number):
            raise ValueError(_("A whole number."))
        return int(number)
    return number


def _parse_row(values: dict, departments: dict[str, Department]) -> tuple[dict, list[tuple[str, str]]]:
    fields, errors = {}, []
    text = {k: ("" if values.get(k) is None else str(values.get(k)).strip()) for k in COLUMNS}
    for column, key, integer, required in [
        ("number", "number", True, False),
        ("offset_minutes", "offset_minutes", False, True),
        ("ack_minutes", "ack_minutes", True, False),
        ("complete_minutes", "complete_minutes", True, False),
    ]:
        try:
            value = _number(values.get(column), column, integer=integer, required=required)
        except ValueError as exc:
            errors.append((column, str(exc)))
            continue
        if value is not None:
            fields[key] = value
    for column in ("from", "message"):
        if not text[column]:
            errors.append((column, _("A value is required.")))
    if text["to"] not in departments:
        errors.append(("to", _("Unknown department code “%(c)s”.") % {"c": text["to"]}))
    else:
        fields["to_department"] = departments[text["to"]]
    fields.update(
        from_sender=text["from"], message=text["message"], expected_action=text["expected_action"],
        objective=text["objective"],
    )  # fmt: skip
    return fields, errors


@transaction.atomic
def import_msel(drill: Drill, content: bytes, name: str = "msel.csv") -> int:
    data = _load(content, name)
    headers = [str(h or "").strip() for h in (data.headers or [])]
    missing = [c for c in REQUIRED if c not in headers]
    if missing:
        raise MselError(
            [{"row": 0, "line": 1, "field": c, "message": _("Missing column.")} for c in missing],
            _("The header row must name the columns: %(c)s.") % {"c": ", ".join(COLUMNS)},
        )
    departments = {d.code: d for d in Department.objects.all()}
    parsed, problems = [], []
    for index, row in enumerate(data, start=1):
        values = dict(zip(headers, row, strict=False))
        if all(v in (None, "") for v in values.values()):
            continue  # blank lines at the end of a spreadsheet
        fields, errors = _parse_row(values, departments)
        problems += [{"row": index, "line": index + 1, "field": f, "message": m} for f, m in errors]
        parsed.append((index, fields))
    if problems:
        raise MselError(problems)
    existing = {i.number: i for i in drill.injects.all()}
    for index, fields in parsed:
        try:
            save_inject(drill, inject=existing.get(fields.get("number")), **fields)
        except ValidationError as exc:
            field, messages = next(iter(exc.message_dict.items()))
            field = {"from_sender": "from", "to_department": "to"}.get(field, field)
            raise MselError([{"row": index, "line": index + 1, "field": field, "message": messages[0]}]) from None
    return len(parsed)
