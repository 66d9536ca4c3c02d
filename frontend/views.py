"""The home page after login: the user's role and the areas they can reach."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from backend.directory.roles import ADMINISTRATOR, has_role, roles_of

AREAS = [
    # (url, label, description, permission needed to see the link)
    ("/board/", _("Incident board"), _("Open incidents, live"), "incidents.view_incident"),
    ("/board/archive/", _("Archive"), _("Closed incidents and their reports"), "incidents.view_incident"),
    ("/board/department/", _("My department's tasks"), _("Acknowledge and report progress"), "incidents.view_task"),
    ("/plans/", _("River response plans"), _("One river, one policy, one map"), "plans.view_river"),
    ("/inventory/", _("Emergency supplies"), _("Depots, stock and dispatches"), "inventory.view_lot"),
    ("/drills/", _("Drills"), _("Schedule, run, evaluate and report drills"), "drills.view_drill"),
    ("/directory/", _("Departments and duty roster"), _("Who is on duty in each department"), "directory.view_contact"),
    # Readable by every role at /escalation/, but linked only for those who edit it (the duty office).
    (
        "/escalation/",
        _("Escalation policies"),
        _("Who is alerted when a department does not acknowledge"),
        "alerts.change_escalationpolicy",
    ),
    ("/api/docs/", _("API documentation"), _("OpenAPI schema and interactive docs"), None),
    ("/admin/", _("Administration"), _("Edit every record"), "is_staff"),
    ("/audit/", _("Audit trail"), _("Who changed what, and when"), "administrator"),
]


@login_required
def home(request):
    areas = []
    for url, label, description, perm in AREAS:
        if perm == "is_staff" and not request.user.is_staff:
            continue
        if perm == "administrator" and not has_role(request.user, ADMINISTRATOR):
            continue
        if perm and perm not in {"is_staff", "administrator"} and not request.user.has_perm(perm):
            continue
        areas.append({"url": url, "label": label, "description": description})
    return render(request, "home.html", {"areas": areas, "roles": roles_of(request.user)})


def logout_page(request):
    """GET /accounts/logout/ asks to confirm (a link or a bookmark lands here); POST logs out.
    Django logs out on POST only, so a stray GET (a link scanner, an image tag) cannot."""
    from django.contrib.auth.views import LogoutView

    if request.method == "POST":
        return LogoutView.as_view()(request)
    return render(request, "registration/logout_confirm.html")


def favicon(request):
    """/favicon.ico, asked for by browsers whatever the page says: the app's own icon."""
    return redirect(static("favicon.svg"))
