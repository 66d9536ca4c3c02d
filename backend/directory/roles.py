"""Roles are Django groups with real permissions, defined here in code.

Each app grants its own models' permissions (grant() from its AppConfig.ready());
`sync_roles()` makes the groups match the merged table (run after every migrate and by load_demo),
so permissions are reviewable in one place and a fresh database is never half-configured.
Object-level rules (a liaison edits only their own department) live in permissions.py.
"""

from __future__ import annotations

import logging

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

from backend.registry import Registry

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


def _crud(model: str, app: str = "directory", verbs=("add", "change", "delete")) -> list[str]:
    return [f"{app}.{verb}_{model}" for verb in verbs]


# role -> permissions, by the app that owns them. The directory grants its own here; every
# other app grants its models' permissions from its AppConfig.ready() with grant(), so this
# lowest app knows no higher app's models (docs/architecture.md, "Extension points").
ROLE_GRANTS: Registry[dict[str, list[str]]] = Registry("role permissions")

# Every role may also read (view_*) every model of every app that registered a grant.
DIRECTORY_GRANTS: dict[str, list[str]] = {
    DUTY_OFFICER: [*_crud("contact"), *_crud("shift")],
    # A liaison may maintain the contacts and roster of their own department only.
    LIAISON: [*_crud("contact"), *_crud("shift")],
    DEPOT_MANAGER: [],
    TRAINER: [],
    EVALUATOR: [],
    VIEWER: [],
    ADMINISTRATOR: ["*"],
}


def grant(app_label: str, permissions: dict[str, list[str]]) -> None:
    """Called from an app's AppConfig.ready(): what each role may do with that app's models."""
    unknown = set(permissions) - set(ROLE_LABELS)
    if unknown:
        raise ValueError(f"unknown roles {sorted(unknown)}")
    ROLE_GRANTS.register(app_label, "roles", permissions)


grant("directory", DIRECTORY_GRANTS)


def readable_apps() -> list[str]:
    return sorted({owner for owner, _key, _value in ROLE_GRANTS.items()})


def role_permissions() -> dict[str, list[str]]:
    """The merged table: role -> every permission any app grants it (beyond reading)."""
    table: dict[str, list[str]] = {role: [] for role in ROLE_LABELS}
    for _owner, _key, permissions in ROLE_GRANTS.items():
        for role, perms in permissions.items():
            table[role] += [p for p in perms if p not in table[role]]
    return table


def _resolve(perm: str) -> Permission | None:
    app_label, codename = perm.split(".", 1)
    found = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
    if found is None:
        log.warning("role permission %s does not exist (app not migrated yet?)", perm)
    return found


def sync_roles() -> None:
    readable = list(
        Permission.objects.filter(content_type__app_label__in=readable_apps(), codename__startswith="view_")
    )
    for role, perms in role_permissions().items():
        group, _created = Group.objects.get_or_create(name=role)
        if "*" in perms:
            wanted = list(Permission.objects.all())
        else:
            wanted = readable + [p for p in (_resolve(name) for name in perms) if p is not None]
        group.permissions.set(wanted)


def sync_roles_after_migrate(sender, **kwargs):
    # post_migrate is sent once per app; only after the last one do all permissions exist.
    from django.apps import apps

    if sender is list(apps.get_app_configs())[-1]:
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
