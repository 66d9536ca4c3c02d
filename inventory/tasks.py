"""Celery tasks of inventory: thin, they call services."""

from __future__ import annotations

import logging

from celery import shared_task

from . import services

log = logging.getLogger(__name__)


@shared_task(name="inventory.compute_stock_alerts", time_limit=120, soft_time_limit=100)
def compute_stock_alerts() -> dict[str, int]:
    """Daily: low-stock and expiry alerts (INVENTORY_EXPIRY_WARNING_DAYS), announced for the
    notification path and shown on the inventory dashboard. Returns the counts."""
    digest = services.announce_stock_alerts()
    counts = {key: len(digest[key]) for key in ("low_stock", "expiring", "expired")}
    if any(counts.values()):
        log.warning("stock alerts: %s", counts)
    return counts
