"""Who may see and do what in a drill (used by the API, the pages and the incident hooks).

- the drill's trainer (controller) and administrators control it;
- its evaluators rate tasks and write observations (when a drill names no evaluators, any
  user with the evaluator role may rate it);
- its participants (users of a participating department) and observers see it, and act on
  their tasks through the incidents API;
- other trainers and evaluators see it (drill staff, as for exercise incidents in
  backend/incidents/permissions.py) but cannot control it;
- everybody else sees nothing of it (404).
"""

from __future__ import annotations

from django.db.models import Q

from backend.directory.roles import ADMINISTRATOR, EVALUATOR, TRAINER, has_role
from backend.directory.services import department_of

from .models import Drill


def is_admin(user) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, ADMINISTRATOR))


def _people(user) -> Q:
    who = Q(trainer=user) | Q(evaluators=user) | Q(observers=user)
    department = department_of(user)
    if department is not None:
        who |= Q(departments=department)
    return who


def visible_drills(user, queryset=None):
    queryset = Drill.objects.all() if queryset is None else queryset
    if not user.is_authenticated:
        return queryset.none()
    if is_admin(user) or has_role(user, TRAINER, EVALUATOR):
        return queryset
    return queryset.filter(pk__in=Drill.objects.filter(_people(user)).values("pk"))


def can_view(user, drill: Drill) -> bool:
    return visible_drills(user, Drill.objects.filter(pk=drill.pk)).exists()


def can_control(user, drill: Drill) -> bool:
    return is_admin(user) or (user.is_authenticated and drill.trainer_id == user.pk)


def can_evaluate(user, drill: Drill) -> bool:
    if is_admin(user):
        return True
    if not user.is_authenticated:
        return False
    if drill.evaluators.exists():
        return drill.evaluators.filter(pk=user.pk).exists()
    return has_role(user, EVALUATOR)


def can_observe(user, drill: Drill) -> bool:
    """Write observations: the controller, the evaluators and the observers."""
    return can_control(user, drill) or can_evaluate(user, drill) or drill.observers.filter(pk=user.pk).exists()


def sees_msel(user, drill: Drill) -> bool:
    """Players must not read injects before they arrive: the full MSEL is for drill staff."""
    return (
        can_control(user, drill)
        or has_role(user, TRAINER, EVALUATOR)
        or can_evaluate(user, drill)
        or drill.observers.filter(pk=user.pk).exists()
    )


def sees_report(user, drill: Drill) -> bool:
    """The after-action report lists every inject and the staff's observations: players read
    it once the drill has ended, the staff at any time."""
    return drill.status == Drill.Status.ENDED or sees_msel(user, drill)


def can_edit_improvement(user, drill: Drill) -> bool:
    """The improvement plan of a drill is kept by its own controller (and administrators);
    another trainer's drill is not theirs to change, whatever their model permission says."""
    return can_control(user, drill)


# Registered in DrillsConfig.ready() into backend.incidents (visibility, permissions).
def exercise_audience(user) -> Q:
    """The exercise incidents of the drills the user takes part in (a Q over Incident)."""
    return Q(pk__in=Drill.objects.filter(_people(user), incident__isnull=False).values("incident_id"))


def may_command_exercise(user, incident) -> bool:
    return user.is_authenticated and Drill.objects.filter(incident=incident, trainer=user).exists()
