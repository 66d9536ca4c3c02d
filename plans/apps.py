from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _seed_reference(sender, using="default", **kwargs):
    from django.db import connections

    from .models import Pollutant
    from .services import seed_pollutants

    # post_migrate also follows `migrate plans zero`, when the table is gone.
    if Pollutant._meta.db_table in connections[using].introspection.table_names():
        seed_pollutants()


def _relocate_rivers(sender, **kwargs):
    from .boundaries import locate_all_rivers

    locate_all_rivers()


class PlansConfig(AppConfig):
    name = "plans"
    verbose_name = _("River response plans")

    def ready(self):
        # The pollutant catalogue is reference data: upserted after every migrate (and after the
        # flush of a transactional test), never by a data migration. Idempotent.
        post_migrate.connect(_seed_reference, sender=self, dispatch_uid="plans.seed_pollutants")
        from backend.directory import roles as directory_roles

        from . import roles

        directory_roles.grant(self.label, roles.GRANTS)
        # Computed boundary crossings follow the outlines (plans.boundaries).
        from backend.directory.signals import areas_changed

        areas_changed.connect(_relocate_rivers, dispatch_uid="plans.relocate_rivers")
