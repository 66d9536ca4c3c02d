from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrillsConfig(AppConfig):
    name = "drills"
    verbose_name = _("Drills")

    def ready(self):
        # The extension points of the apps below, filled in one pattern (backend/registry.py).
        from backend import eventtypes
        from backend.directory import roles as directory_roles
        from backend.incidents import permissions as incident_permissions
        from backend.incidents import visibility
        from inventory import hooks as inventory_hooks

        from . import events, permissions, roles
        from .stock import dispatch_is_simulated

        eventtypes.register(self.label, events.TYPES)
        directory_roles.grant(self.label, roles.GRANTS)
        # Incidents know nothing of drills: drills tell them who may see and command an
        # exercise incident (the drill's people).
        visibility.EXERCISE_AUDIENCES.register(self.label, "drill_people", permissions.exercise_audience)
        incident_permissions.EXERCISE_COMMANDERS.register(self.label, "drill_trainer", permissions.may_command_exercise)
        # A drill's supply dispatch is simulated unless the drill is a live stock exercise.
        inventory_hooks.simulated_dispatch_checks.register(self.label, "drill_dispatch", dispatch_is_simulated)
