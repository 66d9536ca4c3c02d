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


# plans: every model a duty officer maintains (add/change/delete; approving a plan is a change).
PLANS_MODELS = [
    "river",
    "riverfeature",
    "riverreach",  # treatmentmeasure is reference data: administrators only
    "pollutant",
    "responseplan",
    "measure",
    "tasktemplate",
    "enterpriseplanfiling",
]

# role -> permissions beyond reading. Later apps extend this table with their models.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    DUTY_OFFICER: [
        *_crud("contact"),
        *_crud("shift"),
        # inventory: coordinates every depot (catalogue, receipts, stocktakes, dispatch requests and approvals)
        *_crud("depot", "inventory", ("add", "change")),
        *_crud("item", "inventory", ("add", "change")),
        *_crud("stockminimum", "inventory"),
        "inventory.add_movement",
        *_crud("dispatch", "inventory", ("add", "change", "approve")),
        # plans: rivers, features, pollutants, plans (approving = change_responseplan) and filings
        *[perm for model in PLANS_MODELS for perm in _crud(model, "plans")],
        # incidents: open and command them (object rules in backend/incidents/permissions.py)
        "incidents.add_incident",
        "incidents.change_incident",
        "incidents.change_task",
        # alerts: edit each department's escalation ladder (creating one is part of the edit)
        "alerts.change_escalationpolicy",
    ],
    # A liaison may maintain the contacts and roster of their own department only.
    LIAISON: [*_crud("contact"), *_crud("shift")],
    # A depot manager acts on the depots bound to them (inventory.Depot.managers) only.
    DEPOT_MANAGER: [
        "inventory.change_depot",
        *_crud("stockminimum", "inventory"),
        "inventory.add_movement",
        *_crud("dispatch", "inventory", ("add", "change", "approve", "ship")),
    ],
    # drills: plan and control drills (object rules in drills/permissions.py: only a drill's own trainer controls it)
    TRAINER: [
        *_crud("drill", "drills"),
        *_crud("inject", "drills"),
        *_crud("observation", "drills"),
        *_crud("improvementitem", "drills"),
    ],
    # drills: rate the tasks of the drills they are assigned to, write observations
    EVALUATOR: [*_crud("evaluation", "drills", ("add", "change")), "drills.add_observation"],
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
