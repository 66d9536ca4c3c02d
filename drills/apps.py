from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrillsConfig(AppConfig):
    name = "drills"
    verbose_name = _("Drills")

    def ready(self):
        from backend import eventtypes

        from . import events

        eventtypes.register(self.label, events.TYPES)
        # Incidents know nothing of drills: drills tell them who may see and command an
        # exercise incident (the drill's people), through incidents' own hook lists.
        from backend.incidents import permissions as incident_permissions

        from . import permissions

        if permissions.may_see_exercise not in incident_permissions.exercise_visibility_checks:
            incident_permissions.exercise_visibility_checks.append(permissions.may_see_exercise)
        if permissions.may_command_exercise not in incident_permissions.exercise_command_checks:
            incident_permissions.exercise_command_checks.append(permissions.may_command_exercise)
        # A drill's supply dispatch is simulated unless the drill is a live stock exercise.
        from inventory import hooks as inventory_hooks

        from .stock import dispatch_is_simulated

        if dispatch_is_simulated not in inventory_hooks.simulated_dispatch_checks:
            inventory_hooks.simulated_dispatch_checks.append(dispatch_is_simulated)
