"""Pages of the directory: the duty roster of a department for one week."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from . import services
from .models import Department
from .permissions import can_manage_department


def _week_start(raw: str | None) -> date:
    today = timezone.localdate()
    try:
        chosen = date.fromisoformat(raw) if raw else today
    except ValueError:
        chosen = today
    return chosen - timedelta(days=chosen.weekday())


@login_required
@permission_required("directory.view_shift", raise_exception=True)
def roster(request, code: str):
    department = get_object_or_404(Department, code=code)
    monday = _week_start(request.GET.get("week"))
    tz = timezone.get_current_timezone()
    start = datetime.combine(monday, time.min, tzinfo=tz)
    end = start + timedelta(days=7)
    shifts = list(services.shifts_between(start, end, department))
    days = []
    for offset in range(7):
        day_start = start + timedelta(days=offset)
        day_end = day_start + timedelta(days=1)
        days.append(
            {"date": day_start.date(), "shifts": [s for s in shifts if s.start < day_end and s.end > day_start]}
        )
    context = {
        "department": department,
        "departments": Department.objects.filter(active=True),
        "days": days,
        "week": monday,
        "previous_week": monday - timedelta(days=7),
        "next_week": monday + timedelta(days=7),
        "on_duty": services.on_duty(department),
        "contacts": department.contacts.filter(active=True),
        "can_edit": can_manage_department(request.user, department),
    }
    return render(request, "directory/roster.html", context)


@login_required
@permission_required("directory.view_contact", raise_exception=True)
def departments(request):
    rows = [
        {"department": d, "on_duty": services.on_duty(d)}
        for d in Department.objects.filter(active=True).prefetch_related("contacts")
    ]
    return render(request, "directory/departments.html", {"rows": rows})
