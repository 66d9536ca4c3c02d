"""Treatment measures per pollutant class: what to bring to an interception space, and how much.

Data, not code: seeded from plans/reference_treatment.py with the published source of every dose,
editable in the admin (Django's admin log is the audit trail). The supply item is named by its
code in the inventory catalogue: plans does not import inventory (docs/architecture.md's import rules), the
quantities and depots are worked out in backend/incidents/treatment.py.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .pollutants import PollutantCategory


class TreatmentMeasure(models.Model):
    class Basis(models.TextChoices):
        PER_M3 = "per_m3", _("per m³ of water held")
        PER_KG = "per_kg", _("per kg of pollutant")
        PER_SPACE = "per_space", _("per interception space")

    category = models.CharField(_("pollutant class"), max_length=16, choices=PollutantCategory.choices)
    pollutant_code = models.SlugField(
        _("only for pollutant"),
        max_length=32,
        blank=True,
        help_text=_(
            "A pollutant code when the measure is for that pollutant only (chromium(VI)); blank for the class."
        ),
    )
    step = models.PositiveSmallIntegerField(
        _("step"), default=1, help_text=_("Order of application (Cr(VI) is reduced before it is precipitated).")
    )
    name = models.CharField(_("measure"), max_length=96)
    name_en = models.CharField(_("English name"), max_length=128, blank=True)
    item_code = models.SlugField(_("supply item code"), max_length=40, help_text=_("Code in the supply catalogue."))
    basis = models.CharField(_("dose basis"), max_length=12, choices=Basis.choices)
    dose = models.FloatField(
        _("dose"), help_text=_("kg of reagent per m³ held or per kg of pollutant; item units per space")
    )
    item_unit_kg = models.FloatField(
        _("kg per item unit"),
        default=1.0,
        help_text=_("How many kg one unit of the catalogue item holds (1000 for tonnes)."),
    )
    source = models.CharField(_("published source"), max_length=300)

    class Meta:
        ordering = ["category", "pollutant_code", "step", "id"]
        verbose_name = _("treatment measure")
        verbose_name_plural = _("treatment measures")
        constraints = [
            models.CheckConstraint(condition=Q(dose__gt=0), name="treatment_dose_positive"),
            models.CheckConstraint(condition=Q(item_unit_kg__gt=0), name="treatment_unit_positive"),
        ]

    def __str__(self):
        return f"{self.get_category_display()} {self.step}. {self.name}"
