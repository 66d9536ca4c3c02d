"""Drills (演练): the plan of an exercise, its event list (MSEL), evaluations and the improvement plan.

A running drill owns an exercise incident (incidents.Incident with exercise=True): the board,
tasks and SMS are the real ones. Inject due times live here, in the database, so a beat task
claims what is due and a pause can move them (docs/operations.md, "Traps": no far-future ETA tasks).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Drill(models.Model):
    class Form(models.TextChoices):
        TABLETOP = "tabletop", _("Tabletop")
        LIVE = "live", pgettext_lazy("drill form", "Live")

    class Scope(models.TextChoices):
        SINGLE = "single", _("Single-item")
        COMPREHENSIVE = "comprehensive", _("Comprehensive")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        RUNNING = "running", _("Running")
        PAUSED = "paused", _("Paused")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled")

    title = models.CharField(pgettext_lazy("drill", "title"), max_length=200)
    form = models.CharField(_("form"), max_length=12, choices=Form.choices, default=Form.TABLETOP)
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices, default=Scope.SINGLE)
    plan = models.ForeignKey(
        "plans.ResponsePlan", on_delete=models.PROTECT, related_name="drills", verbose_name=_("river plan")
    )
    # The scenario: what open_incident is called with when the drill starts.
    location = models.PointField(_("scenario location"), srid=4326)
    pollutant = models.ForeignKey(
        "plans.Pollutant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pollutant"),
    )
    mass_kg = models.FloatField(_("mass (kg)"), null=True, blank=True)
    narrative = models.TextField(_("scenario narrative"), blank=True)
    departments = models.ManyToManyField(
        "directory.Department", related_name="drills", blank=True, verbose_name=_("participating departments")
    )
    scheduled_start = models.DateTimeField(_("scheduled start"))
    duration_minutes = models.PositiveIntegerField(_("expected duration (minutes)"), default=120)
    trainer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="drills_controlled", verbose_name=_("trainer")
    )
    evaluators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="drills_evaluated", blank=True, verbose_name=_("evaluators")
    )
    observers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="drills_observed", blank=True, verbose_name=_("observers")
    )
    objectives = models.JSONField(_("objectives"), default=list, blank=True, help_text=_("A list of short texts."))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.SCHEDULED)
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    live_stock_exercise = models.BooleanField(
        _("live stock exercise"), default=False, help_text=_("Dispatches move real stock (otherwise simulated).")
    )
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    ended_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    # The drill clock: paused_at is set while paused; paused_seconds sums the finished pauses.
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.FloatField(default=0)
    summary = models.TextField(_("summary (hot wash)"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-scheduled_start"]
        verbose_name = _("drill")
        verbose_name_plural = _("drills")
        constraints = [
            models.CheckConstraint(condition=Q(mass_kg__isnull=True) | Q(mass_kg__gte=0), name="drill_mass_positive"),
            models.CheckConstraint(condition=Q(paused_seconds__gte=0), name="drill_paused_positive"),
        ]
        indexes = [models.Index(fields=["status", "scheduled_start"])]

    def __str__(self):
        return self.title

    def clock_anchor(self) -> datetime:
        """The moment offset 0 falls on: the start, moved later by every finished pause."""
        if self.started_at is None:
            return self.scheduled_start
        return self.started_at + timedelta(seconds=self.paused_seconds)

    def elapsed_minutes(self, now: datetime) -> float:
        """Drill-clock minutes since the start (paused time does not count)."""
        if self.started_at is None:
            return 0.0
        until = self.paused_at or self.ended_at or now
        return max((until - self.clock_anchor()).total_seconds() / 60, 0.0)


class Inject(models.Model):
    """One line of the MSEL: a message from a simulated sender to a department at an offset."""

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="injects")
    number = models.PositiveIntegerField(pgettext_lazy("inject", "number"))
    # Minutes as a float: real drills use whole minutes, tests and quick rehearsals seconds.
    offset_minutes = models.FloatField(_("offset (minutes)"))
    from_sender = models.CharField(_("from"), max_length=100, help_text=_("The simulated sender."))
    to_department = models.ForeignKey(
        "directory.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("to")
    )
    message = models.TextField(_("message"))
    expected_action = models.TextField(_("expected action"), blank=True)
    objective = models.CharField(_("objective"), max_length=200, blank=True)
    # Null: the plan's task template targets for that department (see services.inject_targets).
    ack_minutes = models.PositiveIntegerField(_("acknowledge within (minutes)"), null=True, blank=True)
    complete_minutes = models.PositiveIntegerField(_("complete within (minutes)"), null=True, blank=True)
    due_at = models.DateTimeField(_("due at"))
    delivered_at = models.DateTimeField(pgettext_lazy("inject", "delivered at"), null=True, blank=True)
    skipped = models.BooleanField(_("skipped"), default=False)
    adhoc = models.BooleanField(_("ad hoc"), default=False)
    task = models.ForeignKey("incidents.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["drill", "offset_minutes", "number"]
        verbose_name = _("inject")
        verbose_name_plural = _("injects")
        constraints = [
            models.UniqueConstraint(fields=["drill", "number"], name="inject_number_unique"),
            models.CheckConstraint(condition=Q(offset_minutes__gte=0), name="inject_offset_positive"),
        ]
        # The beat task's query: undelivered, not skipped, due.
        indexes = [
            models.Index(fields=["due_at"], condition=Q(delivered_at__isnull=True, skipped=False), name="inject_due")
        ]

    def __str__(self):
        return f"#{self.number} → {self.to_department_id}: {self.message[:30]}"

    @property
    def pending(self) -> bool:
        return self.delivered_at is None and not self.skipped


class Rating(models.TextChoices):
    # HSEEP: performed without challenges / with some / with major challenges / unable to perform.
    P = "P", _("P — performed without challenges")
    S = "S", _("S — performed with some challenges")
    M = "M", _("M — performed with major challenges")
    U = "U", _("U — unable to be performed")


class Evaluation(models.Model):
    """One evaluator's rating of one task of the drill's incident."""

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="evaluations")
    evaluator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    task = models.ForeignKey("incidents.Task", on_delete=models.CASCADE, related_name="+")
    rating = models.CharField(_("rating"), max_length=1, choices=Rating.choices)
    notes = models.TextField(_("notes"), blank=True)
    observed_ack_at = models.DateTimeField(_("observed acknowledgement"), null=True, blank=True)
    observed_complete_at = models.DateTimeField(_("observed completion"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["drill", "task", "evaluator"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        constraints = [models.UniqueConstraint(fields=["evaluator", "task"], name="evaluation_once_per_task")]


class Observation(models.Model):
    class Kind(models.TextChoices):
        STRENGTH = "strength", _("Strength")
        IMPROVEMENT = "improvement", _("Area for improvement")

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="observations")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    department = models.ForeignKey(
        "directory.Department", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    text = models.TextField(_("observation"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["drill", "kind", "created_at"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")


class ImprovementItem(models.Model):
    """A corrective action from a drill, tracked to closure across drills."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", pgettext_lazy("improvement item", "In progress")
        DONE = "done", _("Done")

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="improvement_items")
    observation = models.ForeignKey(Observation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    issue = models.TextField(_("issue"))
    corrective_action = models.TextField(_("corrective action"))
    department = models.ForeignKey(
        "directory.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("responsible department")
    )
    owner = models.CharField(pgettext_lazy("improvement item", "owner"), max_length=100)
    due_date = models.DateField(_("due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    closed_at = models.DateTimeField(pgettext_lazy("improvement item", "closed at"), null=True, blank=True)
    # A later drill that verified the fix, so the loop closes across drills.
    verified_in = models.ForeignKey(Drill, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["status", "due_date", "pk"]
        verbose_name = _("improvement item")
        verbose_name_plural = _("improvement items")
        indexes = [models.Index(fields=["status", "due_date"])]


class DrillNotice(models.Model):
    """What participants were told about a drill before it ran (rescheduled, cancelled).

    Before the start there is no incident to put an event on, so the notice is kept here and
    handed to the alerts app when it offers a sender (see drills/notify.py)."""

    drill = models.ForeignKey(Drill, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=16)
    message = models.TextField()
    departments = models.JSONField(default=list)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["drill", "created_at", "pk"]
