"""Drill pages. Thin: they read through permissions, scorecard, report and trends and write
nothing; the pages' JavaScript calls the API, which calls the services."""

from __future__ import annotations

import calendar as calendar_module
from collections import defaultdict
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.directory.models import Department
from backend.directory.roles import EVALUATOR, TRAINER, has_role
from backend.incidents.views import timeline_labels
from backend.names import local_name
from plans.models import Pollutant, ResponsePlan, River

from . import permissions
from .charts import bars_svg
from .models import Drill, ImprovementItem, Observation, Rating
from .report import report_context
from .scorecard import drill_score
from .services import overdue_items
from .trends import department_trends, trend_charts

STATUS_FILTERS = Drill.Status.choices


def _visible(request, pk: int) -> Drill:
    drill = (
        permissions.visible_drills(request.user)
        .filter(pk=pk)
        .select_related("plan__river", "incident", "trainer", "pollutant")
        .first()
    )
    if drill is None:
        raise Http404("No such drill.")
    return drill


def _roles(request, drill: Drill) -> dict:
    user = request.user
    return {
        "can_control": permissions.can_control(user, drill),
        "can_evaluate": permissions.can_evaluate(user, drill),
        "can_observe": permissions.can_observe(user, drill),
        "sees_msel": permissions.sees_msel(user, drill),
        "sees_report": permissions.sees_report(user, drill),
    }


def _overdue_for(user):
    if not (permissions.is_admin(user) or has_role(user, TRAINER)):
        return []
    return list(overdue_items().filter(drill__in=permissions.visible_drills(user))[:20])


@login_required
def drill_list(request):
    params = request.GET
    drills = permissions.visible_drills(request.user).select_related("plan__river", "trainer")
    if params.get("status"):
        drills = drills.filter(status=params["status"])
    if params.get("river"):
        drills = drills.filter(plan__river__code=params["river"])
    if params.get("department"):
        drills = drills.filter(departments__code=params["department"]).distinct()
    context = {
        "drills": drills.order_by("-scheduled_start")[:200],
        "statuses": STATUS_FILTERS,
        "rivers": River.objects.filter(plans__drills__isnull=False).distinct().order_by("code"),
        "departments": Department.objects.filter(active=True).order_by("sort_order", "code"),
        "selected": {k: params.get(k, "") for k in ("status", "river", "department")},
        "overdue": _overdue_for(request.user),
        "can_schedule": request.user.has_perm("drills.add_drill"),
    }
    return render(request, "drills/list.html", context)


@login_required
def new_drill(request):
    """The scheduling form; its script posts to /api/drills/ (the service validates)."""
    if not request.user.has_perm("drills.add_drill"):
        raise PermissionDenied(_("Only trainers schedule drills."))
    users = get_user_model().objects.filter(is_active=True).order_by("username")
    context = {
        "plans": ResponsePlan.objects.filter(status=ResponsePlan.Status.APPROVED).select_related("river"),
        "pollutants": Pollutant.objects.order_by("code"),
        "departments": Department.objects.filter(active=True).order_by("sort_order", "code"),
        "evaluators": users.filter(groups__name=EVALUATOR),
        "observers": users,
        "forms": Drill.Form.choices,
        "scopes": Drill.Scope.choices,
    }
    return render(request, "drills/new.html", context)


@login_required
def calendar(request):
    today = timezone.localdate()
    try:
        year, month = (int(p) for p in request.GET.get("month", f"{today:%Y-%m}").split("-"))
        first = date(year, month, 1)
    except ValueError:
        year, month, first = today.year, today.month, today.replace(day=1)
    weeks = calendar_module.Calendar(firstweekday=0).monthdatescalendar(year, month)
    by_day = defaultdict(list)
    drills = permissions.visible_drills(request.user).filter(
        scheduled_start__date__gte=weeks[0][0], scheduled_start__date__lte=weeks[-1][-1]
    )
    for drill in drills.order_by("scheduled_start"):
        by_day[timezone.localtime(drill.scheduled_start).date()].append(drill)
    previous = (first.replace(day=1) - date.resolution).replace(day=1)
    following = date(year + (month == 12), month % 12 + 1, 1)
    context = {
        "first": first,
        "weeks": [[{"date": d, "in_month": d.month == month, "drills": by_day.get(d, [])} for d in w] for w in weeks],
        "previous": f"{previous:%Y-%m}",
        "next": f"{following:%Y-%m}",
        "today": today,
        "weekdays": [_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun")],
    }
    return render(request, "drills/calendar.html", context)


@login_required
def drill_detail(request, pk: int):
    drill = _visible(request, pk)
    roles = _roles(request, drill)
    injects = drill.injects.select_related("to_department").order_by("offset_minutes", "number")
    if not roles["sees_msel"]:
        injects = injects.filter(delivered_at__isnull=False)
    context = {
        "drill": drill,
        **roles,
        "injects": injects,
        "departments": Department.objects.filter(active=True).order_by("sort_order", "code"),
        "notices": drill.notices.all(),
    }
    return render(request, "drills/detail.html", context)


@login_required
def console(request, pk: int):
    drill = _visible(request, pk)
    if not permissions.can_control(request.user, drill):
        raise PermissionDenied(_("Only the drill's trainer controls it."))
    # The event log reads as the room's timeline: the incident's sentences plus the drill's own.
    labels = timeline_labels()
    labels["s"] = {
        **labels["s"],
        "inject_delivered": _("Inject %(number)s to %(department)s: %(message)s"),
        "drill_control": _("Drill: %(action)s"),
    }
    context = {
        "drill": drill,
        "departments": drill.departments.order_by("sort_order", "code"),
        "labels": {**labels, "confirm_end": _("End the drill and close its exercise incident?"),
                   "delivered": _("delivered"), "skipped": _("skipped"), "pending": _("pending"),
                   "deliver": _("Deliver now"), "skip": _("Skip"),
                   # The console applies drill_control events itself (drills/console.js).
                   "drill_status": {s.value: str(s.label) for s in Drill.Status}, "done_ok": _("Done."),
                   "error": _("The action failed"), "saved": _("Saved."),
                   "control_actions": {"start": _("drill started"), "pause": _("drill paused"),
                                       "resume": _("drill resumed"), "end": _("drill ended"),
                                       "skip": _("inject skipped"), "add_inject": _("ad-hoc inject added")}},
    }  # fmt: skip
    return render(request, "drills/console.html", context)


def _local(value):
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M") if value else ""


@login_required
def evaluate(request, pk: int):
    """The evaluator's page (tablet): every task with its observed times pre-filled from the log."""
    drill = _visible(request, pk)
    if not permissions.can_observe(request.user, drill):
        raise PermissionDenied(_("Only the drill's evaluators and observers use this page."))
    mine = {e.task_id: e for e in drill.evaluations.filter(evaluator=request.user)}
    tasks = []
    if drill.incident_id:
        for task in drill.incident.tasks.select_related("department").order_by("created_at", "pk"):
            own = mine.get(task.pk)
            tasks.append(
                {
                    "task": task,
                    "ack": _local(own.observed_ack_at if own else task.acknowledged_at),
                    "done": _local(own.observed_complete_at if own else task.completed_at),
                    "rating": own.rating if own else "",
                    "notes": own.notes if own else "",
                }
            )
    context = {
        "drill": drill,
        "tasks": tasks,
        "ratings": Rating.choices,
        "kinds": Observation.Kind.choices,
        "observations": drill.observations.select_related("department", "author"),
        "departments": drill.departments.order_by("sort_order", "code"),
        **_roles(request, drill),
    }
    return render(request, "drills/evaluate.html", context)


@login_required
def score(request, pk: int):
    drill = _visible(request, pk)
    result = drill_score(drill)
    names = {d.code: local_name(d) for d in Department.objects.all()}
    for row in result["departments"]:
        row["name"] = names.get(row["department"], row["department"])
    bars = bars_svg([(r["name"], r["score"]) for r in result["departments"]]) if result["departments"] else None
    context = {"drill": drill, "score": result, "bars": bars, **_roles(request, drill)}
    return render(request, "drills/score.html", context)


@login_required
def report(request, pk: int):
    drill = _visible(request, pk)
    if not permissions.sees_report(request.user, drill):
        raise PermissionDenied(_("The report is for the drill staff until the drill ends."))
    return render(request, "drills/report.html", {**report_context(drill), **_roles(request, drill)})


@login_required
def trends(request):
    code = request.GET.get("department") or None
    ended = permissions.visible_drills(request.user).filter(status=Drill.Status.ENDED)
    data = department_trends(ended, code)
    context = {
        "trends": data,
        "charts": trend_charts(data) if data["drills"] else None,
        "departments": Department.objects.filter(active=True).order_by("sort_order", "code"),
        "selected": code or "",
    }
    return render(request, "drills/trends.html", context)


@login_required
def improvement_items(request):
    visible = permissions.visible_drills(request.user)
    items = ImprovementItem.objects.filter(drill__in=visible).select_related("drill", "department")
    if request.GET.get("show") != "all":
        items = items.exclude(status=ImprovementItem.Status.DONE)
    context = {
        "items": items.order_by("due_date", "pk"),
        "today": timezone.localdate(),
        "show": request.GET.get("show"),
    }
    return render(request, "drills/improvement.html", context)
