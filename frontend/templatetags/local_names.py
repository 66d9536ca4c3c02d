"""{{ pollutant|local_name }}: a record's English name in English mode when it has one
(pollutants, departments, rivers, items, areas carry name_en), else its Chinese name.
{{ departments|local_names }}: those names joined by the language's list separator;
{% list_separator %} between names a loop writes (backend/names.py)."""

from collections.abc import Mapping

from django import template
from django.utils.translation import get_language

from backend import names

register = template.Library()


@register.filter
def local_name(record, prefix: str = "") -> str:
    """{{ alert|local_name:"item" }} reads a row's item_name / item_name_en."""
    return names.local_name(record, prefix)


@register.filter
def local_unit(record) -> str:
    """{{ item|local_unit }}: an item's unit (or a row's "unit"/"unit_en") in the page's language."""
    if record is None or record == "":
        return ""
    read = record.get if isinstance(record, Mapping) else lambda key, default="": getattr(record, key, default)
    english = read("unit_en", "") if (get_language() or "").startswith("en") else ""
    return english or read("unit", "") or ""


@register.filter
def local_names(records) -> str:
    return names.join_names(names.local_name(record) for record in records or ())


@register.filter
def joined(values) -> str:
    """Strings (data or already translated) joined by the language's list separator."""
    return names.join_names(values or ())


@register.simple_tag
def list_separator() -> str:
    return names.list_separator()
