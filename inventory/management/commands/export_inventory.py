"""Export the item catalogue or the stock on hand to CSV/Excel (the import's columns)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from inventory import exchange


class Command(BaseCommand):
    help = "Export the catalogue or the stock on hand to a .csv or .xlsx file."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["catalogue", "stock"])
        parser.add_argument("path")

    def handle(self, *args, what, path, **options):
        dataset = exchange.export_catalogue() if what == "catalogue" else exchange.export_stock()
        try:
            exchange.write(dataset, path)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"exported {len(dataset)} {what} row(s) to {path}"))
