"""The pollutant catalogue and the GB 3838-2002 surface-water classes."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class WaterClass(models.TextChoices):
    """GB 3838-2002 functional classes (I best … V worst)."""

    I = "I", "I"  # noqa: E741 - the standard's own name
    II = "II", "II"
    III = "III", "III"
    IV = "IV", "IV"
    V = "V", "V"


class PollutantCategory(models.TextChoices):
    """Categories the measures of a plan are written for (one measure fits a whole category)."""

    HEAVY_METAL = "heavy_metal", _("Heavy metal")
    OIL = "oil", _("Oil")
    ORGANIC = "organic", _("Organic")
    NUTRIENT = "nutrient", _("Nutrient")
    ACID_ALKALI = "acid_alkali", _("Acid/alkali")
    CYANIDE = "cyanide", _("Cyanide")
    OTHER = "other", _("Other")


class Pollutant(models.Model):
    code = models.SlugField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=96, blank=True)
    category = models.CharField(_("category"), max_length=16, choices=PollutantCategory.choices)
    # mg/L; null where the standard sets no limit (acids and alkalis are judged by pH).
    limit_i = models.FloatField(_("class I limit (mg/L)"), null=True, blank=True)
    limit_ii = models.FloatField(_("class II limit (mg/L)"), null=True, blank=True)
    limit_iii = models.FloatField(_("class III limit (mg/L)"), null=True, blank=True)
    limit_iv = models.FloatField(_("class IV limit (mg/L)"), null=True, blank=True)
    limit_v = models.FloatField(_("class V limit (mg/L)"), null=True, blank=True)
    decay_per_day = models.FloatField(
        _("decay rate k (1/day)"), default=0.0, help_text=_("First-order decay as published; 0 for conservative.")
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("pollutant")
        verbose_name_plural = _("pollutants")
        constraints = [models.CheckConstraint(condition=Q(decay_per_day__gte=0), name="pollutant_decay_not_negative")]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def limit_for(self, water_class: str | None) -> float | None:
        if not water_class:
            return None
        return getattr(self, f"limit_{water_class.lower()}", None)
