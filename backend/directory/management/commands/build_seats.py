"""Regenerate backend/directory/data/seats.geojson from the cpca package (see seats.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand

from backend.directory import seats


class Command(BaseCommand):
    help = "Extract the county seats from cpca's adcodes.csv (GCJ-02 → WGS-84)."

    def add_arguments(self, parser):
        parser.add_argument("--source", required=True, help="cpca: its wheel (pip download cpca==0.5.5) or package dir")
        parser.add_argument("--output", default=str(seats.DATA_FILE))

    def handle(self, *args, source=None, output=None, **options):
        collection = seats.build(Path(source), Path(output))
        self.stdout.write(f"wrote {output} ({len(collection['features'])} seats)")
