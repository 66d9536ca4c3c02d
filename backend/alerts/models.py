"""SMS alerts: every message is a Notification row; acknowledgement links, escalation and the
inbound log sit beside it. Services (backend/alerts/services/) are the only writers."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    """One SMS to one contact. The status moves forward only (see services.status.RANK)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")  # ours: waiting to be claimed by a worker
        SENDING = "sending", _("Sending")  # claimed by a worker / reported by the provider
        ACCEPTED = "accepted", _("Accepted")  # the provider took it (Twilio answered "queued"/"accepted")
        SENT = "sent", _("Sent")
        DELIVERED = "delivered", _("Delivered")
        UNDELIVERED = "undelivered", _("Undelivered")
        FAILED = "failed", _("Failed")
        # A worker died between claiming and the provider's answer: it may or may not have gone
        # out, and Twilio has no idempotency key, so a person decides (resend button).
        UNKNOWN = "unknown", _("Unknown")

    class Kind(models.TextChoices):
        TASKS = "tasks", _("Tasks")
        LEVEL = "level", _("Level raised")
        CLOSED = "closed", _("Incident closed")
        ESCALATION = "escalation", _("Escalation")
        INJECT = "inject", _("Drill inject")
        DIGEST = "digest", _("Stock digest")
        UPDATE = "update", _("Update")
        NOTICE = "notice", _("Notice (no incident)")

    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    contact = models.ForeignKey("directory.Contact", on_delete=models.PROTECT, related_name="notifications")
    department = models.ForeignKey("directory.Department", on_delete=models.PROTECT, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.TASKS)
    to = models.CharField(_("to"), max_length=20)
    body = models.TextField(_("body"))
    # What the body says, so events arriving within the merge window can be folded in.
    items = models.JSONField(default=list, blank=True)
    merge_key = models.CharField(max_length=64, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.QUEUED)
    provider = models.CharField(max_length=16, default="twilio")
    provider_sid = models.CharField(_("provider id"), max_length=64, blank=True, db_index=True)
    error_code = models.CharField(_("error code"), max_length=16, blank=True)
    error_message = models.CharField(_("error"), max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The body holds the link redacted (`/a/…`); the sender issues a fresh token per send and
    # puts the live link only into its request to the provider (services/tokens.py).
    ack_link = models.BooleanField(default=False)
    ack_token = models.ForeignKey("AckToken", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    resend_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="resends")
    digest_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField()
    send_after = models.DateTimeField(help_text="Not before: storm control holds merged messages until then.")
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    status_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "send_after"]),
            models.Index(fields=["incident", "department"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "digest_on"], condition=Q(digest_on__isnull=False), name="one_digest_per_day"
            )
        ]

    def __str__(self):
        return f"#{self.pk} → {self.to} [{self.status}]"


class AckToken(models.Model):
    """An acknowledgement link's token, bound to one contact and incident. Only the SHA-256 of
    its short random key is stored: a leaked database or admin list cannot acknowledge."""

    key_hash = models.CharField(max_length=64, unique=True)
    contact = models.ForeignKey("directory.Contact", on_delete=models.CASCADE, related_name="ack_tokens")
    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="ack_tokens")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # Replaced by a resend of its message: the old link stops working.
    revoked_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return f"token #{self.pk} ({self.key_hash[:8]}…)"


class EscalationPolicy(models.Model):
    """A department's ladder: ordered steps, each after N minutes without acknowledgement."""

    department = models.OneToOneField(
        "directory.Department", on_delete=models.CASCADE, related_name="escalation_policy"
    )
    active = models.BooleanField(_("active"), default=True)
    repeat_last = models.BooleanField(
        _("repeat the last step"), default=False, help_text=_("Keep repeating the last step until acknowledged.")
    )

    def __str__(self):
        return f"escalation: {self.department}"


class EscalationStep(models.Model):
    class Target(models.TextChoices):
        NEXT_CONTACTS = "next", _("Next contacts of the department")
        CONTACTS = "contacts", _("Listed contacts")
        DUTY_LEADER = "leader", _("The bureau's duty leader")

    policy = models.ForeignKey(EscalationPolicy, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(default=1)
    wait_minutes = models.PositiveIntegerField(_("wait (minutes)"), default=10)
    target = models.CharField(_("notify"), max_length=10, choices=Target.choices, default=Target.NEXT_CONTACTS)
    contacts = models.ManyToManyField("directory.Contact", blank=True, related_name="+")

    class Meta:
        ordering = ["policy", "order", "pk"]


class Escalation(models.Model):
    """Where a department's ladder stands on one incident; due work is claimed by the beat task."""

    incident = models.ForeignKey("incidents.Incident", on_delete=models.CASCADE, related_name="escalations")
    department = models.ForeignKey("directory.Department", on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField()
    steps_done = models.PositiveSmallIntegerField(default=0)
    next_at = models.DateTimeField(null=True, blank=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    stop_reason = models.CharField(max_length=32, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["incident", "department"], name="one_escalation_per_department")]
        indexes = [models.Index(fields=["stopped_at", "next_at"])]


class InboundMessage(models.Model):
    """Every reply SMS that reached the webhook, and what came of it."""

    provider_sid = models.CharField(max_length=64, blank=True)
    from_number = models.CharField(max_length=32)
    body = models.TextField()
    received_at = models.DateTimeField()
    contact = models.ForeignKey("directory.Contact", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    incident = models.ForeignKey(
        "incidents.Incident", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result = models.CharField(max_length=32)  # acknowledged | already | unknown_sender | unknown_code | not_ack
    acknowledged = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-received_at"]
