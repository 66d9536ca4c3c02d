from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncidentsConfig(AppConfig):
    name = "backend.incidents"
    label = "incidents"
    verbose_name = _("Incidents")

    def ready(self):
        # Lower apps announce, incidents listens: supply dispatch steps reach the timeline.
        from . import receivers  # noqa: F401
