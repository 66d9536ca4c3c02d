from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DrillsConfig(AppConfig):
    name = "drills"
    verbose_name = _("Drills")

    def ready(self):
        # Incidents know nothing of drills: drills tell them who may see and command an
        # exercise incident (the drill's people), through incidents' own hook lists.
        from backend.incidents import permissions as incident_permissions

        from . import permissions

        if permissions.may_see_exercise not in incident_permissions.exercise_visibility_checks:
            incident_permissions.exercise_visibility_checks.append(permissions.may_see_exercise)
        if permissions.may_command_exercise not in incident_permissions.exercise_command_checks:
            incident_permissions.exercise_command_checks.append(permissions.may_command_exercise)
