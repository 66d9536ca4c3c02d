from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "backend.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        # The extension points of the apps below, filled in one pattern (backend/registry.py).
        from backend import eventtypes
        from backend.directory import roles as directory_roles
        from backend.directory import users
        from inventory import hooks as inventory_hooks

        from . import events, receivers, roles  # noqa: F401  (receivers: inventory's dispatch steps)
        from .models import Incident, IncidentEvent

        eventtypes.register(self.label, events.TYPES)
        directory_roles.grant(self.label, roles.GRANTS)
        # A user named as an actor in any incident log is deactivated, never deleted.
        acted = lambda user: IncidentEvent.objects.filter(actor=user).exists()  # noqa: E731
        users.HISTORY_CHECKS.register(self.label, "event_actor", acted)
        # Inventory refuses supplies for an incident id that does not exist.
        inventory_hooks.incident_exists_checks.register(
            self.label, self.label, lambda pk: Incident.objects.filter(pk=pk).exists()
        )
