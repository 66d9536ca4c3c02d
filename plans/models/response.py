"""一策: the versioned response plan of a river, its measures and department task templates."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from backend.directory.models import Department

from .pollutants import PollutantCategory
from .rivers import River, RiverFeature


class ResponsePlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        SUPERSEDED = "superseded", _("Superseded")

    river = models.ForeignKey(River, on_delete=models.CASCADE, related_name="plans", verbose_name=_("river"))
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["river__code", "-version"]
        verbose_name = _("response plan")
        verbose_name_plural = _("response plans")
        constraints = [
            models.UniqueConstraint(fields=["river", "version"], name="plan_unique_version"),
            # The database, not only the service, guarantees one approved plan per river.
            models.UniqueConstraint(fields=["river"], condition=Q(status="approved"), name="plan_one_approved"),
        ]

    def __str__(self):
        return f"{self.title} v{self.version} ({self.get_status_display()})"

    @property
    def editable(self) -> bool:
        return self.status == self.Status.DRAFT


class Measure(models.Model):
    """What to do at one emergency space for one pollutant category."""

    plan = models.ForeignKey(ResponsePlan, on_delete=models.CASCADE, related_name="measures")
    space = models.ForeignKey(
        RiverFeature,
        on_delete=models.CASCADE,
        related_name="measures",
        limit_choices_to={"kind": RiverFeature.Kind.SPACE},
        verbose_name=_("emergency space"),
    )
    category = models.CharField(_("pollutant category"), max_length=16, choices=PollutantCategory.choices)
    action = models.TextField(_("action"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        ordering = ["plan", "space__chainage_m", "category", "order"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self):
        return f"{self.space.name}: {self.get_category_display()}"


class TaskTemplate(models.Model):
    """A department's task when the plan is activated, with the targets drills are scored on."""

    plan = models.ForeignKey(ResponsePlan, on_delete=models.CASCADE, related_name="task_templates")
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("task"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    ack_minutes = models.PositiveIntegerField(_("acknowledge within (minutes)"), default=10)
    complete_minutes = models.PositiveIntegerField(_("complete within (minutes)"), default=60)

    class Meta:
        ordering = ["plan", "order", "department__sort_order"]
        verbose_name = _("task template")
        verbose_name_plural = _("task templates")
        constraints = [
            models.CheckConstraint(condition=Q(ack_minutes__gte=1), name="task_ack_positive"),
            models.CheckConstraint(condition=Q(complete_minutes__gte=F("ack_minutes")), name="task_complete_after_ack"),
        ]

    def __str__(self):
        return f"{self.department}: {self.text[:40]}"
