from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "backend.alerts"
    label = "alerts"
    verbose_name = _("Alerts")

    def ready(self):
        # Upper apps listen: incidents and inventory announce, alerts turn that into SMS.
        from backend import eventtypes

        from . import events, receivers  # noqa: F401

        eventtypes.register(self.label, events.TYPES)
        from backend.directory import roles as directory_roles

        from . import roles

        directory_roles.grant(self.label, roles.GRANTS)
