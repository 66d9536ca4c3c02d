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
    """Pollutant classes: what the measures of a plan and the treatment measures are written for
    (one measure fits a whole class). `organic` and `acid_alkali` are the broader classes of the
    first catalogue, still valid for plans written against them (see BROADER)."""

    HEAVY_METAL = "heavy_metal", _("Heavy metal")
    METALLOID = "metalloid", _("Metalloid")
    CYANIDE = "cyanide", _("Cyanide")
    OIL = "oil", _("Oil")
    ACID = "acid", _("Acid")
    ALKALI = "alkali", _("Alkali")
    VOLATILE_ORGANIC = "volatile_organic", _("Volatile organic")
    OTHER_ORGANIC = "other_organic", _("Other organic")
    NUTRIENT = "nutrient", _("Nutrient")
    ORGANIC = "organic", _("Organic")
    ACID_ALKALI = "acid_alkali", _("Acid/alkali")
    OTHER = "other", _("Other")


# A class and the broader class of the first catalogue it belongs to: a plan measure written
# for `organic` still applies to benzene (volatile_organic).
BROADER = {
    PollutantCategory.VOLATILE_ORGANIC: PollutantCategory.ORGANIC,
    PollutantCategory.OTHER_ORGANIC: PollutantCategory.ORGANIC,
    PollutantCategory.ACID: PollutantCategory.ACID_ALKALI,
    PollutantCategory.ALKALI: PollutantCategory.ACID_ALKALI,
    PollutantCategory.METALLOID: PollutantCategory.HEAVY_METAL,
}


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
    # GB 3838-2002 Tables 2 and 3: one limit, at centralised drinking-water sources only.
    source_limit_mg_l = models.FloatField(
        _("drinking-water source limit (mg/L)"),
        null=True,
        blank=True,
        help_text=_("GB 3838-2002 Table 2 or 3; applies only at drinking-water intakes."),
    )
    # Table 1 sets lakes and reservoirs their own limits for some items (total phosphorus).
    lake_limits = models.JSONField(
        _("lake and reservoir limits I–V (mg/L)"),
        default=list,
        blank=True,
        help_text=_("Five values, class I to V, where the standard sets lakes their own limits; empty otherwise."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("pollutant")
        verbose_name_plural = _("pollutants")
        constraints = [models.CheckConstraint(condition=Q(decay_per_day__gte=0), name="pollutant_decay_not_negative")]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def limit_for(self, water_class: str | None, *, drinking_water: bool = False, lake: bool = False) -> float | None:
        """The limit at a place of `water_class`; at a drinking-water intake a Table 2/3 limit
        applies where Table 1 sets none (and the stricter of the two where both would)."""
        limit = None
        classes = [c.value for c in WaterClass]
        if water_class in classes:
            if lake and len(self.lake_limits or []) == len(classes):
                limit = self.lake_limits[classes.index(water_class)]
            else:
                limit = getattr(self, f"limit_{water_class.lower()}")
        if drinking_water and self.source_limit_mg_l is not None:
            limit = self.source_limit_mg_l if limit is None else min(limit, self.source_limit_mg_l)
        return limit

    @property
    def has_limit(self) -> bool:
        """False for acids and alkalis (GB 3838 judges pH 6–9, no concentration)."""
        limits = (self.limit_i, self.limit_ii, self.limit_iii, self.limit_iv, self.limit_v, self.source_limit_mg_l)
        return any(v is not None for v in limits)
