"""Roles are Django groups with real permissions, defined here in code.

`sync_roles()` makes the groups match this table (run after every migrate and by load_demo),
so permissions are reviewable in one place and a fresh database is never half-configured.
Object-level rules (a liaison edits only their own department) live in permissions.py.
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

log = logging.getLogger(__name__)

DUTY_OFFICER = "duty_officer"
LIAISON = "liaison"
DEPOT_MANAGER = "depot_manager"
TRAINER = "trainer"
EVALUATOR = "evaluator"
VIEWER = "viewer"
ADMINISTRATOR = "administrator"

ROLE_LABELS = {
    DUTY_OFFICER: _("Duty officer"),
    LIAISON: _("Department liaison"),
    DEPOT_MANAGER: _("Depot manager"),
    TRAINER: _("Trainer"),
    EVALUATOR: _("Evaluator"),
    VIEWER: _("Viewer"),
    ADMINISTRATOR: _("Administrator"),
}

# Apps whose objects every signed-in role may read.
READABLE_APPS = ["directory", "plans", "inventory", "incidents", "alerts", "drills"]


def _crud(model: str, app: str = "directory", verbs=("add", "change", "delete")) -> list[str]:
    return [f"{app}.{verb}_{model}" for verb in verbs]


# role -> permissions beyond reading. Later apps extend this table with their models.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    DUTY_OFFICER: [*_crud("contact"), *_crud("shift")],
    # A liaison may maintain the contacts and roster of their own department only.
    LIAISON: [*_crud("contact"), *_crud("shift")],
    DEPOT_MANAGER: [],
    TRAINER: [],
    EVALUATOR: [],
    VIEWER: [],
    ADMINISTRATOR: ["*"],
}


def _resolve(perm: str) -> Permission | None:
    app_label, codename = perm.split(".", 1)
    found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if found is None:
        log.warning("role permission %s does not exist (app not migrated yet?)", perm)
    return found


def sync_roles() -> None:
    readable = list(Permission.objects.filter(content_type__app_label__in=READABLE_APPS, codename__startswith="view_"))
    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role)
        if perms == ["*"]:
            wanted = list(Permission.objects.all())
        else:
            wanted = readable + [p for p in (_resolve(name) for name in perms) if p is not None]
        group.permissions.set(wanted)


def sync_roles_after_migrate(sender, **kwargs):
    sync_roles()


def roles_of(user) -> list[str]:
    if not user.is_authenticated:
        return []
    if not hasattr(user, "_role_names"):
        names = set(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            names.add(ADMINISTRATOR)
        user._role_names = sorted(names & set(ROLE_LABELS))
    return user._role_names


def has_role(user, *roles: str) -> bool:
    return bool(set(roles) & set(roles_of(user)))
