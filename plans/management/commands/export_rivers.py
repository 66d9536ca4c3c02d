"""python manage.py export_rivers [FILE | -o FILE] — the rivers as a GeoJSON FeatureCollection."""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from plans import services


class Command(BaseCommand):
    help = "Export every river as a GeoJSON FeatureCollection (WGS84), readable by QGIS and import_rivers."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="file to write (default: standard output)")
        parser.add_argument("-o", "--output", help="same as FILE")

    def handle(self, *args, file=None, output=None, **options):
        output = output or file
        text = json.dumps(services.export_rivers(), ensure_ascii=False, indent=1)
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"wrote {output}")
        else:
            self.stdout.write(text)
