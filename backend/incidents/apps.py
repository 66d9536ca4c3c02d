from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "backend.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        # Lower apps announce, incidents listens: supply dispatch steps reach the timeline.
        # Inventory refuses supplies for an incident id that does not exist (inventory.hooks).
        from backend import eventtypes
        from inventory import hooks as inventory_hooks

        from . import events, receivers  # noqa: F401

        eventtypes.register(self.label, events.TYPES)
        from .models import Incident

        inventory_hooks.incident_exists_checks[self.label] = lambda pk: Incident.objects.filter(pk=pk).exists()
