from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "backend.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        # Lower apps announce, incidents listens: supply dispatch steps reach the timeline.
        # Inventory refuses supplies for an incident id that does not exist (inventory.hooks).
        from inventory import hooks as inventory_hooks
        from plans import hooks as plans_hooks

        from . import (
            receivers,  # noqa: F401
            treatment,
        )
        from .models import Incident

        inventory_hooks.incident_exists_checks[self.label] = lambda pk: Incident.objects.filter(pk=pk).exists()
        # The trace's `treatment` (reagents for the recommended space, nearest depots) needs
        # inventory, which plans may not import: incidents fills it in.
        plans_hooks.trace_extensions[self.label] = treatment.extend_trace
