"""{{ pollutant|local_name }}: a record's English name in English mode when it has one
(pollutants, departments, rivers, items, areas carry name_en), else its Chinese name."""

from django import template
from django.utils.translation import get_language

register = template.Library()


@register.filter
def local_name(record) -> str:
    if record is None:
        return ""
    english = getattr(record, "name_en", "") if (get_language() or "").startswith("en") else ""
    return english or getattr(record, "name", "") or str(record)
