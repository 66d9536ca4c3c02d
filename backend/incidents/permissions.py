"""Who may see an incident and act on it: one set of rules for the API, pages and sockets."""

from __future__ import annotations

from collections.abc import Callable

from backend.directory.roles import ADMINISTRATOR, DUTY_OFFICER, EVALUATOR, LIAISON, TRAINER, has_role
from backend.directory.services import department_of

from .models import Incident, Task

# Exercise incidents are visible to drill staff and participants. The drills app knows who
# takes part in which drill and registers a check here (incidents never imports drills).
exercise_visibility_checks: list[Callable[[object, Incident], bool]] = []
# Likewise a drill's controller may command its exercise incident.
exercise_command_checks: list[Callable[[object, Incident], bool]] = []

EXERCISE_STAFF = (DUTY_OFFICER, ADMINISTRATOR, TRAINER, EVALUATOR)


def is_commander(user) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, DUTY_OFFICER, ADMINISTRATOR))


def can_view(user, incident: Incident) -> bool:
    if not user.is_authenticated or not user.has_perm("incidents.view_incident"):
        return False
    if not incident.exercise:
        return True
    if user.is_superuser or has_role(user, *EXERCISE_STAFF):
        return True
    department = department_of(user)
    if department is not None and incident.tasks.filter(department=department).exists():
        return True
    return any(check(user, incident) for check in exercise_visibility_checks)


def visible_incidents(user, queryset):
    """Filter a queryset of incidents to those the user may see."""
    if not user.is_authenticated or not user.has_perm("incidents.view_incident"):
        return queryset.none()
    if user.is_superuser or has_role(user, *EXERCISE_STAFF):
        return queryset
    department = department_of(user)
    allowed_exercises = set()
    if department is not None:
        allowed_exercises |= set(
            queryset.filter(exercise=True, tasks__department=department).values_list("pk", flat=True)
        )
    if exercise_visibility_checks:
        for incident in queryset.filter(exercise=True).exclude(pk__in=allowed_exercises):
            if any(check(user, incident) for check in exercise_visibility_checks):
                allowed_exercises.add(incident.pk)
    return queryset.filter(exercise=False) | queryset.filter(pk__in=allowed_exercises)


def can_command(user, incident: Incident) -> bool:
    """Open, add tasks, reassign, change level and status, close: duty officers (and a drill's
    controller on its exercise incident)."""
    if is_commander(user):
        return True
    return incident.exercise and any(check(user, incident) for check in exercise_command_checks)


def can_act_on_task(user, task: Task) -> bool:
    """Acknowledge, start, complete, ask for reassignment: the task's own department's liaison;
    a duty officer may record it on a department's behalf (a phone call)."""
    if can_command(user, task.incident):
        return True
    if has_role(user, LIAISON):
        department = department_of(user)
        return department is not None and department.pk == task.department_id
    return False


def can_note(user, incident: Incident) -> bool:
    """Notes go on the common record from the duty office (the issue: "duty officers add tasks,
    reassign, add notes ..."); a liaison reports progress with the task (complete with a note)."""
    return can_command(user, incident)


def can_record_sample(user, incident: Incident) -> bool:
    """Field samples: commanders, and liaisons of departments with tasks on the incident (the
    monitoring station's people are in the field)."""
    if can_command(user, incident):
        return True
    department = department_of(user)
    return has_role(user, LIAISON) and department is not None and incident.tasks.filter(department=department).exists()


# The department whose liaison reports an intake cut off or restored (the water department runs
# the intakes); its code in the directory.
WATER_DEPARTMENT = "water"


def can_set_intake(user, incident: Incident) -> bool:
    """Intakes stopped or restarted: the duty office, or the water department's liaison."""
    if can_command(user, incident):
        return True
    department = department_of(user)
    return has_role(user, LIAISON) and department is not None and department.code == WATER_DEPARTMENT
