"""{% load drills_tags %}{% overdue_improvements %}: the trainer's home-page widget listing
overdue improvement items (renders nothing for other roles)."""

from __future__ import annotations

from django import template

from ..views import _overdue_for

register = template.Library()


@register.inclusion_tag("drills/_overdue_widget.html", takes_context=True)
def overdue_improvements(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    items = _overdue_for(user) if user is not None and user.is_authenticated else []
    return {"overdue": items, "show": user is not None and user.is_authenticated}
