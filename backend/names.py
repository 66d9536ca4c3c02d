"""Records named in the user's language (issue 16 item 9).

Departments, pollutants, items, rivers, areas, features and depots carry `name_en`: in English
mode they are named in English when it is filled, else in Chinese. Lists of names and a
parenthesised remark follow the language's punctuation: "、" and "（）" are Chinese marks and
read as untranslated text on an English page. Issued reports and SMS bodies do not use this:
they stay in the record's language (Chinese).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.utils.translation import get_language


def english() -> bool:
    return (get_language() or "").startswith("en")


def local_name(record, prefix: str = "") -> str:
    """The record's (a model instance or a dict row) name in the active language; with a
    prefix, a row's `<prefix>_name` / `<prefix>_name_en` (e.g. a stock alert's item)."""
    if record is None or record == "":
        return ""
    if isinstance(record, Mapping):  # rows built as dicts by views
        read = record.get
    else:

        def read(key, default=""):
            return getattr(record, key, default)

    field = f"{prefix}_name" if prefix else "name"
    return (read(f"{field}_en", "") if english() else "") or read(field, "") or ""


def pick(name: str, name_en: str | None) -> str:
    """The English name in English mode when there is one, else the Chinese."""
    return name_en if english() and name_en else name


def list_separator() -> str:
    return ", " if english() else "、"


def join_names(names: Iterable) -> str:
    return list_separator().join(str(name) for name in names)


def parenthesised(text: str) -> str:
    """ " (text)" in English, "（text）" in Chinese; a remark after a name in either language."""
    return f" ({text})" if english() else f"（{text}）"
