from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "inventory"
    verbose_name = _("Emergency supplies")

    def ready(self):
        # Extension points are filled here, one pattern for all (backend/registry.py).
        from backend import eventtypes

        from . import events

        eventtypes.register(self.label, events.TYPES)
        from backend.directory import roles as directory_roles

        from . import roles

        directory_roles.grant(self.label, roles.GRANTS)
