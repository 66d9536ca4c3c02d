"""`export_stock FILE` (the lots on hand): shorthand for `export_inventory stock FILE`."""

from __future__ import annotations

from .export_inventory import Command as ExportCommand


class Command(ExportCommand):
    help = "Export the stock to a .csv or .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("path")

    def handle(self, *args, **options):
        return super().handle(*args, what="stock", **options)
