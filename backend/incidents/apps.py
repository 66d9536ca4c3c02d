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
        from plans import hooks as plans_hooks

        from . import events, receivers, roles, treatment  # noqa: F401  (receivers: inventory's dispatch steps)
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
        # The trace's `treatment` (reagents for the recommended space, nearest depots) needs
        # inventory, which plans may not import: incidents fills it in.
        plans_hooks.trace_extensions.register(self.label, "treatment", treatment.extend_trace)
        inventory_hooks.incident_label_sources.register(self.label, self.label, _incident_labels)


def _incident_labels(ids: list[int]) -> dict[int, dict]:
    """For the depot pages (inventory.hooks.incident_labels): code, title, drill flag and room."""
    from django.urls import reverse

    from .models import Incident

    rows = Incident.objects.filter(pk__in=ids).values("pk", "short_code", "title", "exercise")
    return {
        row["pk"]: {
            "short_code": row["short_code"],
            "title": row["title"],
            "exercise": row["exercise"],
            "url": reverse("incidents:room", args=[row["pk"]]),
        }
        for row in rows
    }
