"""Incidents, their append-only event log (the spine), department tasks and field samples."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Incident(models.Model):
    class Kind(models.TextChoices):
        WATER = "water", _("Water")
        AIR = "air", _("Air")
        SOIL = "soil", _("Soil")
        HAZMAT = "hazmat", _("Hazardous materials")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        REPORTED = "reported", _("Reported")
        VERIFIED = "verified", _("Verified")
        RESPONDING = "responding", _("Responding")
        CONTAINED = "contained", _("Contained")
        CLOSED = "closed", _("Closed")

    class Level(models.IntegerChoices):
        # 国家突发环境事件应急预案: I 特别重大 … IV 一般. One English rendering everywhere, in
        # which each label reads less severe than the one above it.
        I = 1, _("I (extraordinarily serious)")  # noqa: E741 - the level's name
        II = 2, _("II (serious)")
        III = 3, _("III (relatively serious)")
        IV = 4, _("IV (general)")

    short_code = models.CharField(_("short code"), max_length=6)
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    location = models.PointField(_("location"), srid=4326)
    occurred_at = models.DateTimeField(_("occurred at"))
    reported_at = models.DateTimeField(_("reported at"))
    pollutant = models.ForeignKey(
        "plans.Pollutant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pollutant"),
    )
    mass_kg = models.FloatField(_("mass (kg)"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    # What is known of the consequences (国家突发环境事件应急预案 criteria); null = unknown.
    deaths = models.PositiveIntegerField(_("deaths"), null=True, blank=True)
    poisoned = models.PositiveIntegerField(_("poisoned or seriously injured"), null=True, blank=True)
    evacuated = models.PositiveIntegerField(_("people evacuated"), null=True, blank=True)
    direct_loss_yuan = models.PositiveBigIntegerField(_("direct economic loss (yuan)"), null=True, blank=True)
    exercise = models.BooleanField(_("exercise"), default=False, help_text=_("A drill incident, kept apart."))
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices, default=Level.IV)
    level_confirmed = models.BooleanField(_("level confirmed"), default=False)
    suggested_level = models.PositiveSmallIntegerField(_("suggested level"), choices=Level.choices, default=Level.IV)
    level_reasons = models.JSONField(_("why this level"), default=list, blank=True)
    # What the trace reaches when it cannot say how much (no mass, or no limit for the
    # pollutant): never grounds for the suggested level, shown beside it (services/levels.py).
    potential_level = models.PositiveSmallIntegerField(_("potential level"), choices=Level.choices, default=Level.IV)
    potential_reasons = models.JSONField(_("why this potential level"), default=list, blank=True)
    # Drinking-water intakes cut off (RiverFeature ids): a fact, a confirmed level reason.
    suspended_intakes = models.JSONField(_("suspended intakes"), default=list, blank=True)
    # Reasons the duty officer gives for the II/I reporting procedure that the record cannot
    # know (sensitive groups, the bureau's own judgement): [{"trigger", "note", "at"}].
    reporting_triggers = models.JSONField(_("reporting procedure triggers"), default=list, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REPORTED)
    river = models.ForeignKey(
        "plans.River", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("river")
    )
    plan = models.ForeignKey(
        "plans.ResponsePlan", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("plan")
    )
    # The trace at opening time (times counted from occurred_at): later edits to the river
    # data must not rewrite what the officers saw and decided on.
    trace = models.JSONField(_("trace"), null=True, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The seq of the last event: the row lock on the incident serialises writers, so seq
    # stays gapless and unique under concurrency.
    last_seq = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-reported_at"]
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        constraints = [
            models.UniqueConstraint(
                fields=["short_code"], condition=~Q(status="closed"), name="incident_short_code_unique_while_open"
            ),
            models.CheckConstraint(
                condition=Q(mass_kg__isnull=True) | Q(mass_kg__gte=0), name="incident_mass_positive"
            ),
        ]
        indexes = [models.Index(fields=["status", "exercise"])]

    def __str__(self):
        return f"[{self.short_code}] {self.title}"


class PlanActivation(models.Model):
    """A river plan activated for an incident (the spill river's, and others the trace reaches)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="activations")
    plan = models.ForeignKey("plans.ResponsePlan", on_delete=models.PROTECT, related_name="+")
    activated_at = models.DateTimeField()
    activated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "plan"], name="plan_activated_once")]


class IncidentEvent(models.Model):
    """One change to an incident. Append-only (a database trigger refuses UPDATE and DELETE);
    written in the transaction of the change; `data` matches its type's schema (docs/events.md)."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="events")
    seq = models.PositiveIntegerField()
    event_type = models.CharField(max_length=32)
    at = models.DateTimeField()
    # PROTECT: a user who ever acted is deactivated, never deleted (the log cannot be rewritten
    # to null its actor: migration 0002 makes the table append-only in the database).
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    actor_name = models.CharField(max_length=100, blank=True)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["incident", "seq"]
        constraints = [models.UniqueConstraint(fields=["incident", "seq"], name="event_seq_unique")]

    def __str__(self):
        return f"{self.incident_id}#{self.seq} {self.event_type}"


class Task(models.Model):
    """A department's task on an incident, with its two targets (acknowledge, complete)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="tasks")
    department = models.ForeignKey("directory.Department", on_delete=models.PROTECT, related_name="tasks")
    text = models.TextField(_("task"))
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(_("source"), max_length=16, default="manual")  # template | manual | boundary | inject
    template_id = models.PositiveIntegerField(null=True, blank=True)
    ack_minutes = models.PositiveIntegerField(_("acknowledge within (minutes)"), default=10)
    complete_minutes = models.PositiveIntegerField(_("complete within (minutes)"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"))
    ack_due = models.DateTimeField(_("acknowledge by"))
    due = models.DateTimeField(_("complete by"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.CharField(max_length=100, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    completion_note = models.TextField(blank=True)
    reassign_requested = models.BooleanField(default=False)
    reassign_reason = models.TextField(blank=True)
    contact_hint = models.CharField(_("contact"), max_length=200, blank=True)

    class Meta:
        ordering = ["incident", "order", "pk"]
        indexes = [models.Index(fields=["department", "status"])]

    def __str__(self):
        return f"{self.department.code}: {self.text[:40]}"


class Sample(models.Model):
    """A field sampling result, shown beside the trace's prediction for that place and time."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="samples")
    location = models.PointField(srid=4326)
    pollutant = models.ForeignKey("plans.Pollutant", on_delete=models.PROTECT, related_name="+")
    value_mg_l = models.FloatField()
    sampled_at = models.DateTimeField()
    sampled_by = models.CharField(max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["sampled_at"]
        constraints = [models.CheckConstraint(condition=Q(value_mg_l__gte=0), name="sample_value_positive")]


class ReportingDeadline(models.Model):
    """The deadline of the first report upward (《突发环境事件信息报告办法》): the coordinating
    department's task, its procedure (4 h or 2 h from reported_at), the recipients, and once
    done who reported to whom, how and when. One per incident (services/reporting.py)."""

    class Procedure(models.TextChoices):
        GENERAL = "general", _("IV/III procedure (4 hours)")
        SERIOUS = "serious", _("II/I procedure (2 hours)")

    class Via(models.TextChoices):
        TELEPHONE = "telephone", _("Telephone")
        WRITTEN = "written", _("Written")

    incident = models.OneToOneField(Incident, on_delete=models.CASCADE, related_name="reporting_deadline")
    task = models.OneToOneField(Task, on_delete=models.CASCADE, related_name="reporting_deadline")
    procedure = models.CharField(_("procedure"), max_length=8, choices=Procedure.choices)
    triggers = models.JSONField(_("why this procedure"), default=list, blank=True)
    recipients = models.JSONField(_("recipients"), default=list)
    reported_by = models.CharField(_("reported by"), max_length=100, blank=True)
    reported_to = models.JSONField(_("reported to"), default=list, blank=True)
    via = models.CharField(_("how"), max_length=12, choices=Via.choices, blank=True)
    reported_at = models.DateTimeField(_("reported at"), null=True, blank=True)

    def __str__(self):
        return f"{self.incident_id}: {self.procedure}"


class InformationReport(models.Model):
    """An issued 初报 / 续报 / 处理结果报告: a record, immutable once issued (the database
    refuses UPDATE and DELETE, migration 0003); a correction is a new 续报. `content` holds
    every section as issued, so the page and the PDF render the same words later."""

    class Kind(models.TextChoices):
        INITIAL = "initial", _("Initial report")
        FOLLOWUP = "followup", _("Follow-up report")
        RESULT = "result", _("Result report")

    incident = models.ForeignKey(Incident, on_delete=models.PROTECT, related_name="reports")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    number = models.PositiveSmallIntegerField(_("number"))
    issued_at = models.DateTimeField(_("issued at"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    issued_by_name = models.CharField(_("issued by"), max_length=100)
    signatory = models.CharField(_("signatory"), max_length=64)
    contact_name = models.CharField(_("contact person"), max_length=64)
    contact_phone = models.CharField(_("contact number"), max_length=32)
    unit = models.CharField(_("reporting unit"), max_length=96)
    content = models.JSONField(_("content"))

    class Meta:
        ordering = ["incident", "issued_at", "pk"]
        verbose_name = _("information report")
        verbose_name_plural = _("information reports")
        constraints = [
            models.UniqueConstraint(fields=["incident", "kind", "number"], name="report_numbered_once"),
            models.UniqueConstraint(
                fields=["incident", "kind"], condition=~Q(kind="followup"), name="one_initial_one_result"
            ),
        ]

    def __str__(self):
        return f"{self.incident_id} {self.kind} {self.number}"
