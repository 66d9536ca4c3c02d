"""{{ pollutant|local_name }}: a record's English name in English mode when it has one
(pollutants, departments, rivers, items, areas carry name_en), else its Chinese name."""

from collections.abc import Mapping

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def local_name(record) -> str:
    if record is None or record == "":
        return ""
    if isinstance(record, Mapping):  # rows built as dicts by views
        read = record.get
    else:

        def read(key, default=""):
            return getattr(record, key, default)

    english = read("name_en", "") if (get_language() or "").startswith("en") else ""
    return english or read("name", "") or ""


@register.filter
def local_unit(record) -> str:
    """{{ item|local_unit }}: an item's unit (or a row's "unit"/"unit_en") in the page's language."""
    if record is None or record == "":
        return ""
    read = record.get if isinstance(record, Mapping) else lambda key, default="": getattr(record, key, default)
    english = read("unit_en", "") if (get_language() or "").startswith("en") else ""
    return english or read("unit", "") or ""
