"""Load the demo data of every app, in dependency order. Idempotent; never in production."""

from __future__ import annotations

import importlib
import importlib.util

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Lower apps first: plans and inventory need the directory; incidents and drills need plans.
DEMO_MODULES = ["backend.directory.demo", "plans.demo", "inventory.demo", "backend.incidents.demo", "drills.demo"]


class Command(BaseCommand):
    help = "Load the demo data (departments, contacts, users, roster, rivers, depots, drills)."

    def handle(self, *args, **options):
        if settings.SETTINGS_MODULE.endswith(".production"):
            raise CommandError("load_demo refuses to run with production settings (demo users have known passwords).")
        with transaction.atomic():
            for name in DEMO_MODULES:
                if importlib.util.find_spec(name) is None:
                    continue
                importlib.import_module(name).load(stdout=self.stdout)
