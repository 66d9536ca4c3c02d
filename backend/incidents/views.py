"""Pages of the board: overview, department view, incident room, the open form, sitrep."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils import timezone, translation
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from backend.directory.models import Department
from backend.directory.services import department_of
from backend.names import local_name

from . import permissions
from .models import Incident
from .sitrep import situation_report


def _map_settings() -> dict:
    return {"tiles": settings.MAP_TILE_URL, "attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", "")}


def _labels() -> dict:
    """Words the page scripts need, translated on the server (one catalogue for everything)."""
    return {
        "status": {s.value: str(s.label) for s in Incident.Status},
        "task_status": {
            "pending": _("Pending"), "acknowledged": _("Acknowledged"), "in_progress": _("In progress"),
            "done": _("Done"), "cancelled": _("Cancelled"),
        },
        "level": {"1": "I", "2": "II", "3": "III", "4": "IV"},
        "offline": _("Offline: reconnecting…"), "online": _("Live"), "overdue": _("overdue"),
        "acknowledge": _("Acknowledge"), "start": _("Start"), "complete": _("Complete"),
        "ask_reassign": _("Ask to reassign"), "reassign": _("Reassign"), "note_prompt": _("Completion note"),
        "reason_prompt": _("Reason"), "department_prompt": _("Department code"), "arrived": _("arrived"),
        "front_in": _("front in"), "hours": _("h"), "minutes": _("min"), "no_tasks": _("No open tasks."),
        "exercise": _("Exercise"), "error": _("The action failed"), "login_again": _("Please log in again."),
        "forbidden": _("You may not see this incident."), "model": _("model"),
        "reported_by": _("Reported by"), "reported_to": _("Reported to (separate with commas)"),
        "via": _("How"), "via_telephone": _("By telephone"), "via_written": _("In writing"),
        "potential": _("Potential level"),
        "basis": {"confirmed": _("confirmed"), "predicted": _("predicted"), "potential": _("potential")},
        **_screen_labels(),
        **_room_labels(),
    }  # fmt: skip


def _room_labels() -> dict:
    """The recommended depot's contact, hours and state, and the inline reassign form."""
    return {
        "depot": {
            "contact": _("Duty contact"), "no_contact": _("No duty contact on record"), "hours": _("Hours"),
            "open24": _("open 24 hours"), "open": _("open now"), "closed": _("Closed now (opens at %(time)s)"),
        },
        "reassign_to": _("Reassign to"), "reassign_reason": _("Reason (optional)"), "cancel": _("Cancel"),
    }  # fmt: skip


def timeline_labels() -> dict:
    """What frontend/static/js/timeline.js needs, for a page of another app (the drill console)."""
    return {**_labels(), "departments": _department_names()}


def _screen_labels() -> dict:
    """The phone card, action results and the timeline's sentences (frontend/static/js/timeline.js)."""
    return {
        "ack_by": _("Acknowledge by"), "due_by": _("Complete by"), "drill_mark": _("[DRILL]"),
        "what": _("What happened"), "where": _("Where"), "todo": _("Your task"), "open_room": _("Incident room"),
        "map_link": _("Map"), "left": _("left"), "late_by": _("late by"), "km_from_source": _("km from its source"),
        "working": _("Working…"), "done_ok": _("Done."), "saved": _("Saved."),
        "dispatch_created": _("Dispatch %(id)s requested: %(quantity)s from %(depot)s."),
        "closed_banner": _("This incident is closed: the room is read-only. Notes and reports remain."),
        "no_depots": _("No depot has this item."), "suggested": _("Suggested level"),
        "sms_round": _("SMS round: %(total)s messages"),
        "sms_counts": _("%(sent)s sent, %(delivered)s delivered, %(failed)s failed"),
        "s": {
            "opened": _("Incident opened: %(title)s, level %(level)s"),
            "plan_activated": _("Plan activated: %(title)s (version %(version)s)"),
            "level_changed": _("Level changed from %(from)s to %(to)s. Reason: %(reason)s"),
            "status_changed": _("Status changed from %(from)s to %(to)s"),
            "task_created": _("%(department)s was assigned: %(text)s"),
            "task_acknowledged": _("%(department)s acknowledged: %(text)s"),
            "task_started": _("%(department)s started: %(text)s"),
            "task_completed": _("%(department)s completed: %(text)s"),
            "task_reassign_requested": _("%(department)s asked to reassign %(text)s: %(reason)s"),
            "task_reassigned": _("Task moved from %(from)s to %(department)s: %(text)s"),
            "note": _("Note: %(text)s"),
            "completion_note": _("Completion note: %(note)s"),
            "sample_recorded": _("Sample: %(pollutant)s %(value_mg_l)s mg/L"),
            "impact_updated": _("Impact updated; suggested level %(suggested)s"),
            "closed": _("Incident closed: %(summary)s"),
            "reopened": _("Incident reopened: %(reason)s"),
            "escalated": _("Escalated: %(department)s, step %(step)s after %(waited_minutes)s min"),
            "resource": _("%(label)s: dispatch #%(dispatch)s, %(quantity)s %(unit)s of %(item)s from %(depot)s"),
            "late": _("(late)"),
        },
    }  # fmt: skip


def _department_names() -> dict:
    """code → name in the page's language: events name departments by code (docs/events.md)."""
    english = translation.get_language() == "en"
    return {d.code: (d.name_en or d.name) if english else d.name for d in Department.objects.all()}


def _river_names() -> dict:
    """code → name in the page's language: the board's summaries name rivers by code (docs/events.md)."""
    from plans.models import River

    english = translation.get_language() == "en"
    return {r.code: (r.name_en or r.name) if english else r.name for r in River.objects.all()}


@login_required
def board(request):
    if not request.user.has_perm("incidents.view_incident"):
        raise PermissionDenied
    labels = {**_labels(), "rivers": _river_names()}
    can_open = permissions.is_commander(request.user)
    return render(request, "incidents/board.html", {"labels": labels, "can_open": can_open})


@login_required
def department_view(request):
    """A liaison's phone view: their department's open tasks across incidents (the SMS link)."""
    department = department_of(request.user)
    code = request.GET.get("department") or (department.code if department else "")
    chosen = Department.objects.filter(code=code).first()
    return render(
        request,
        "incidents/department.html",
        {
            "department": chosen,
            "departments": Department.objects.filter(active=True),
            "labels": {**_labels(), "departments": _department_names()},
        },
    )


@login_required
def incident_room(request, pk: int):
    incident = get_object_or_404(Incident.objects.select_related("river", "pollutant"), pk=pk)
    if not permissions.can_view(request.user, incident):
        raise Http404
    context = {
        "incident": incident,
        "labels": {**_labels(), "departments": _department_names()},
        "map": _map_settings(),
        "can_command": permissions.can_command(request.user, incident),
        "departments": Department.objects.filter(active=True).exclude(kind=Department.Kind.EXTERNAL),
        "user_department": (department_of(request.user).code if department_of(request.user) else ""),
    }
    return render(request, "incidents/room.html", context)


@login_required
def open_form(request):
    if not permissions.is_commander(request.user):
        raise PermissionDenied
    from plans.models import Pollutant, River

    english = (get_language() or "").startswith("en")
    pollutants = [(p.code, p.name_en if english and p.name_en else p.name) for p in Pollutant.objects.order_by("code")]
    # The trace names the river it snaps to in Chinese only (plans/tracing.py): the script looks it up here.
    rivers = {r.code: local_name(r) for r in River.objects.only("code", "name", "name_en")}
    return render(
        request,
        "incidents/open.html",
        {
            "map": _map_settings(),
            "pollutants": pollutants,
            "kinds": Incident.Kind.choices,
            "labels": {**_open_labels(), "rivers": rivers},
        },
    )


def _open_labels() -> dict:
    """The open form's messages, translated here (the script only picks them by key)."""
    return {
        "empty": _("Type the coordinates, search a place or click the map."),
        "unreadable": _("Cannot read these coordinates. Examples: 113.86, 39.17 or 113°51′44″E 39°10′36″N."),
        "decimal_comma": _("A comma separates longitude and latitude; write decimals with a dot (113.867)."),
        "ambiguous": _("Cannot tell longitude from latitude: add E/N, e.g. 113.86E 39.17N."),
        "range": _("Out of range: longitude −180…180, latitude −90…90."),
        "checking": _("Looking for the nearest river…"),
        "river": _("Snaps to %(river)s, %(metres)s m from the point."),
        "no_river": _("No river within reach of this point: the incident will open with no plan, no tasks and no SMS."),
        "confirm_no_river": _("Confirm that no river is near before opening the incident."),
        "working": _("Opening…"),
        "no_results": _("No place found."),
        "title_at": _("Incident at %(place)s"),
        "title_spill": _("%(pollutant)s spill at %(place)s"),
        "failed": _("Could not open the incident:"),
        "kinds": {
            "seat": _("county seat"),
            "area": _("area"),
            "river": _("river"),
            "feature": _("river feature"),
            "depot": _("depot"),
        },
    }


@login_required
def sitrep(request, pk: int):
    incident = get_object_or_404(Incident, pk=pk)
    if not permissions.can_view(request.user, incident):
        raise Http404
    kind = request.GET.get("kind") or ("final" if incident.status == Incident.Status.CLOSED else "initial")
    if kind not in ("initial", "followup", "final"):
        kind = "initial"
    return render(request, "incidents/sitrep.html", situation_report(incident, kind, now=timezone.now()))


@login_required
def information_report(request, pk: int):
    """An issued information report as a printable page (the same words as its PDF)."""
    from django.http import HttpResponse

    from .information import render_report_html
    from .models import InformationReport

    report = get_object_or_404(InformationReport.objects.select_related("incident"), pk=pk)
    if not permissions.can_view(request.user, report.incident):
        raise Http404
    return HttpResponse(render_report_html(report, page=True, pdf_url=f"/api/reports/{report.pk}/pdf/"))


@login_required
def archive(request):
    """Closed incidents, searched by date, river, pollutant and level."""
    from . import archive as archive_search

    if not request.user.has_perm("incidents.view_incident"):
        raise PermissionDenied
    form, incidents = archive_search.search(request.user, request.GET)
    rows = [{"incident": incident, "reports": archive_search.reports_of(incident)} for incident in incidents]
    return render(
        request,
        "incidents/archive.html",
        {"form": form, "rows": rows, "searched": bool(request.GET), "limit": archive_search.PAGE_SIZE},
    )
