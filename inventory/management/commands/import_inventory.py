"""Import the item catalogue or stock from CSV/Excel. All or nothing: a bad row is reported
with its row number and field, and nothing is written."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from inventory import exchange


class Command(BaseCommand):
    help = "Import the catalogue (code,name,name_en,category,unit,shelf_life_days,consumable) or stock " + (
        "(depot,item,lot,quantity,received_on,expires_on) from a .csv or .xlsx file."
    )

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["catalogue", "stock"])
        parser.add_argument("path")
        parser.add_argument("--user", help="username recorded as the actor of the receive movements")

    def handle(self, *args, what, path, user=None, **options):
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"no user {user!r}")
        try:
            dataset = exchange.read(path)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        try:
            if what == "catalogue":
                count = exchange.import_catalogue(dataset)
            else:
                count = exchange.import_stock(dataset, actor=actor)
        except exchange.ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(f"import refused: {len(failed.errors)} error(s); nothing was written.") from None
        self.stdout.write(self.style.SUCCESS(f"imported {count} {what} row(s) from {path}"))
