"""Spreadsheet cells that a reader's Excel or LibreOffice would run (issue #12, PITFALLS.md).

tablib writes XLSX with `escape=False` and CSV untouched, so a text cell starting with
`=`, `+`, `-`, `@`, a tab or a carriage return becomes a live formula in the reader's
spreadsheet (`=HYPERLINK(...)`, DDE). Every export escapes such cells by the OWASP rule (a
leading apostrophe, shown as text), and every import takes the apostrophe off again, so an
exported file imports back to the same values.
"""

from __future__ import annotations

import tablib

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def escape_cell(value):
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def unescape_cell(value):
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in TRIGGERS:
        return value[1:]
    return value


def _mapped(dataset: tablib.Dataset, cell) -> tablib.Dataset:
    headers = [cell(h) for h in dataset.headers] if dataset.headers else None
    copy = tablib.Dataset(headers=headers, title=dataset.title)
    for row in dataset:
        copy.append([cell(v) for v in row])
    return copy


def escaped(dataset: tablib.Dataset) -> tablib.Dataset:
    return _mapped(dataset, escape_cell)


def unescaped(dataset: tablib.Dataset) -> tablib.Dataset:
    return _mapped(dataset, unescape_cell)


def export(dataset: tablib.Dataset, file_format: str):
    """The dataset as CSV text or XLSX bytes, every cell safe to open."""
    return escaped(dataset).export(file_format)


def load(content, file_format: str) -> tablib.Dataset:
    """A CSV text or XLSX file (bytes or a binary stream) as a dataset, escapes removed."""
    return unescaped(tablib.Dataset().load(content, format=file_format))
