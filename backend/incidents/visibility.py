"""Which incidents a user may see: one rule, as a queryset filter (a Q), used by the API lists,
permissions.can_view, the board socket and the pages (docs/architecture.md, "One rule per
question").

- no login or no `incidents.view_incident` permission: nothing;
- superusers and exercise staff (duty officers, administrators, trainers, evaluators): all;
- everybody else: every real incident, and an exercise when their department has a task on it
  or when an app above incidents says so (the drills app: a drill's trainer, evaluators,
  observers and participating departments). Those apps register a function user -> Q over
  Incident in EXERCISE_AUDIENCES from their AppConfig.ready(); incidents never imports them.

Everything is one SQL query however many exercises there are.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

from backend.directory.roles import ADMINISTRATOR, DUTY_OFFICER, EVALUATOR, TRAINER, has_role
from backend.directory.services import department_of
from backend.registry import Registry

from .models import Task

EXERCISE_STAFF = (DUTY_OFFICER, ADMINISTRATOR, TRAINER, EVALUATOR)

# app label -> (user -> Q over Incident selecting the exercises that app lets the user see)
EXERCISE_AUDIENCES: Registry[Callable[[object], Q]] = Registry("exercise audiences")

NOTHING = Q(pk__in=[])


def may_view_incidents(user) -> bool:
    return user.is_authenticated and user.has_perm("incidents.view_incident")


def sees_all_exercises(user) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, *EXERCISE_STAFF))


def exercise_filter(user) -> Q:
    """The exercises the user sees besides by role: their department's, and the registered audiences'."""
    audience = NOTHING
    department = department_of(user)
    if department is not None:
        audience |= Q(pk__in=Task.objects.filter(department=department).values("incident_id"))
    for rule in EXERCISE_AUDIENCES.values():
        audience |= rule(user)
    return audience


def incident_filter(user) -> Q:
    """The rule: a Q over Incident selecting what `user` may see."""
    if not may_view_incidents(user):
        return NOTHING
    if sees_all_exercises(user):
        return Q()
    return Q(exercise=False) | (Q(exercise=True) & exercise_filter(user))


def visible_incidents(user, queryset):
    return queryset.filter(incident_filter(user))
