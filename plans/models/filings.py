"""电子化备案: enterprise emergency plans filed against risk sources."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from backend.uploads import FileValidator

from .rivers import RiverFeature


class EnterprisePlanFiling(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        FILED = "filed", _("Filed")
        RETURNED = "returned", _("Returned for revision")
        REVOKED = "revoked", _("Revoked")

    risk_source = models.ForeignKey(
        RiverFeature,
        on_delete=models.CASCADE,
        related_name="filings",
        limit_choices_to={"kind": RiverFeature.Kind.RISK_SOURCE},
        verbose_name=_("risk source"),
    )
    filing_number = models.CharField(_("filing number"), max_length=64, unique=True)
    filed_on = models.DateField(_("filing date"))
    expires_on = models.DateField(_("expiry date"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.FILED)
    document = models.FileField(
        _("plan document"), upload_to="filings/%Y/", blank=True, validators=[FileValidator("filing")]
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-filed_on", "filing_number"]
        verbose_name = _("enterprise plan filing")
        verbose_name_plural = _("enterprise plan filings")
        constraints = [
            models.CheckConstraint(condition=Q(expires_on__gt=F("filed_on")), name="filing_expires_after_filing")
        ]

    def __str__(self):
        return self.filing_number
