"""python manage.py import_rivers FILE.geojson — create or update rivers by code, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans import services


class Command(BaseCommand):
    help = "Import rivers from a GeoJSON FeatureCollection (e.g. exported by QGIS). One transaction."

    def add_arguments(self, parser):
        parser.add_argument("file", help="GeoJSON file: LineString (or single-part MultiLineString) features")

    def handle(self, *args, file, **options):
        try:
            collection = json.loads(Path(file).read_text(encoding="utf-8-sig"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"{file}: {exc}") from None
        try:
            created, updated = services.import_rivers(collection)
        except services.RiverImportError as exc:
            raise CommandError(f"{exc} (nothing imported)") from None
        self.stdout.write(f"rivers: {created} created, {updated} updated")
