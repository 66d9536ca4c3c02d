"""Which administrative area each stretch of a river lies in, precomputed from the outlines.

Stored per river when the river's course or the outlines change (plans.boundaries), so a
trace reads a few rows instead of doing geometry per request.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from backend.directory.models import AdminArea

from .rivers import River


class RiverAreaStretch(models.Model):
    """From `start_m` to `end_m` (chainage) the river lies in `area` (its finest loaded area),
    or, when `bank` is set, runs along `area`'s boundary (a boundary river: the other bank)."""

    river = models.ForeignKey(River, on_delete=models.CASCADE, related_name="area_stretches")
    area = models.ForeignKey(AdminArea, on_delete=models.CASCADE, related_name="+")
    start_m = models.FloatField(_("from chainage (m)"))
    end_m = models.FloatField(_("to chainage (m)"))
    bank = models.BooleanField(_("along the boundary"), default=False)

    class Meta:
        ordering = ["river", "start_m", "id"]
        verbose_name = _("river stretch in an area")
        verbose_name_plural = _("river stretches in areas")
        indexes = [models.Index(fields=["river", "start_m"], name="stretch_river_start")]

    def __str__(self):
        return f"{self.river_id} {self.start_m:.0f}–{self.end_m:.0f} m: {self.area_id}"
