"""The navigation bar of every page: the areas the signed-in user may reach, by role.

One list (frontend/views.py AREAS) serves both the home page's cards and this bar, so a link
never shows in one place and not the other. The duty officer's 接报 (open an incident) comes first:
at 3 a.m. it is the one action that cannot wait.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

OPEN_INCIDENT = ("/board/new/", _("Report an incident"), "incidents.add_incident")


def allowed(user, perm: str | None) -> bool:
    if perm == "is_staff":
        return user.is_staff
    return not perm or user.has_perm(perm)


def nav(request):
    from .views import AREAS

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    path = request.path
    links = []
    for url, label, _description, perm in AREAS:
        if url.startswith("/api/") or not allowed(user, perm):
            continue
        # The longest matching prefix is the current area (/board/department/ over /board/).
        links.append({"url": url, "label": label})
    current = max((link["url"] for link in links if path.startswith(link["url"])), key=len, default=None)
    for link in links:
        link["current"] = link["url"] == current
    url, label, perm = OPEN_INCIDENT
    report = {"url": url, "label": label, "current": path == url} if allowed(user, perm) else None
    return {"nav_links": links, "nav_report": report}
