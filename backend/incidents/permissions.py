"""Who may see an incident and act on it: one set of rules for the API, pages and sockets."""

from __future__ import annotations

from collections.abc import Callable

from backend.directory.roles import ADMINISTRATOR, DUTY_OFFICER, LIAISON, has_role
from backend.directory.services import department_of
from backend.registry import Registry

from . import visibility
from .models import Incident, Task

# A drill's controller may command its exercise incident: the drills app registers a check
# (user, incident) -> bool here from its AppConfig.ready() (incidents never imports drills).
EXERCISE_COMMANDERS: Registry[Callable[[object, Incident], bool]] = Registry("exercise commanders")

# Who may see what is one rule, in visibility.py; these names are kept for the callers.
EXERCISE_STAFF = visibility.EXERCISE_STAFF
visible_incidents = visibility.visible_incidents


def is_commander(user) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, DUTY_OFFICER, ADMINISTRATOR))


def can_view(user, incident: Incident) -> bool:
    """The visibility rule (visibility.py) asked for one incident: one query, or none for a
    real incident."""
    if not visibility.may_view_incidents(user):
        return False
    if not incident.exercise or visibility.sees_all_exercises(user):
        return True
    return visible_incidents(user, Incident.objects.filter(pk=incident.pk)).exists()


def can_command(user, incident: Incident) -> bool:
    """Open, add tasks, reassign, change level and status, close: duty officers (and a drill's
    controller on its exercise incident)."""
    if is_commander(user):
        return True
    return incident.exercise and any(check(user, incident) for check in EXERCISE_COMMANDERS.values())


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
