"""Check that every lot's quantity is the sum of its ledger and its reservation the sum of its
open dispatches. Exit status 1 on any drift, so cron or CI can alert on it."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from inventory import queries
from inventory.models import Lot


class Command(BaseCommand):
    help = "Report lots whose quantity differs from the sum of the movement ledger (exit 1 on drift)."

    def handle(self, *args, **options):
        drift = queries.ledger_drift()
        for d in drift:
            self.stdout.write(
                f"DRIFT lot {d.lot.pk} {d.lot.depot.code}/{d.lot.item.code}/{d.lot.code}: "
                f"{d.field} is {d.recorded}, expected {d.expected}"
            )
        if drift:
            raise CommandError(f"{len(drift)} drift(s) found in {Lot.objects.count()} lots.")
        self.stdout.write(self.style.SUCCESS(f"Ledger consistent: {Lot.objects.count()} lots checked."))
