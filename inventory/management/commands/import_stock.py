"""`import_stock FILE`: shorthand for `import_inventory stock FILE` (all or nothing)."""

from __future__ import annotations

from .import_inventory import Command as ImportCommand


class Command(ImportCommand):
    help = "Import the stock from a .csv or .xlsx file (all or nothing)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--user", help="username recorded as the actor of the receive movements")

    def handle(self, *args, **options):
        return super().handle(*args, what="stock", **options)
