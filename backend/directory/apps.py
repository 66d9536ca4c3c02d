from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "backend.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self):
        from backend import checks, deploy_checks  # noqa: F401  (register the beat-schedule and `check --deploy` checks)

        from . import lockout, roles, session_idle  # noqa: F401  (they connect login signal receivers)

        # Roles are defined in code (roles.py) and synced after every migrate, so a fresh
        # database always has the groups and their permissions.
        post_migrate.connect(roles.sync_roles_after_migrate, dispatch_uid="directory.sync_roles")
