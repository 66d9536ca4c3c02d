"""Who responds: departments, their people, who is on duty, and the administrative areas."""

from __future__ import annotations

from django.conf import settings
from django.contrib.gis.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class AdminArea(models.Model):
    """A GB/T 2260 administrative unit (忻州市 140900 and its 14 county-level units)."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        PREFECTURE = "prefecture", _("Prefecture")
        COUNTY = "county", _("County")

    code = models.CharField(_("GB/T 2260 code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    # Outline for the maps; optional because the demo does not ship survey-grade boundaries.
    boundary = models.MultiPolygonField(_("boundary"), srid=4326, null=True, blank=True)
    # Where the county's government sits (县城), for the maps' labels and the place search;
    # open data gives it for county-level units only (directory/seats.py).
    seat = models.PointField(_("seat"), srid=4326, null=True, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("administrative area")
        verbose_name_plural = _("administrative areas")

    def __str__(self):
        return f"{self.name} ({self.code})"


class Department(models.Model):
    """A responding department (生态环境, 公安, 消防 ...), a county government, or an external
    body that must be notified (a neighbouring jurisdiction's environment bureau)."""

    class Kind(models.TextChoices):
        AGENCY = "agency", _("City agency")
        COUNTY = "county", _("County government")
        EXTERNAL = "external", _("External jurisdiction")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=64)
    name_en = models.CharField(_("English name"), max_length=96)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.AGENCY)
    is_coordinator = models.BooleanField(
        _("coordinator"), default=False, help_text=_("The department that leads the response (the environment bureau).")
    )
    area = models.ForeignKey(AdminArea, null=True, blank=True, on_delete=models.PROTECT, related_name="departments")
    jurisdiction = models.CharField(
        _("jurisdiction"), max_length=64, blank=True, help_text=_("For external bodies: the area they answer for.")
    )
    duty_phone = models.CharField(_("duty phone"), max_length=32, blank=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["is_coordinator"], condition=Q(is_coordinator=True), name="one_coordinator")
        ]

    def __str__(self):
        return self.name


class Contact(models.Model):
    """A person who can be alerted. `mobile` is E.164 (normalised by services.normalise_mobile)."""

    class NumberStatus(models.TextChoices):
        OK = "ok", _("OK")
        BAD = "bad", _("Bad (provider refused it)")

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(_("name"), max_length=64)
    title = models.CharField(_("title"), max_length=64, blank=True)
    duty_role = models.CharField(
        _("duty role"), max_length=64, blank=True, help_text=_("e.g. 值班员, 联络员, 分管领导")
    )
    mobile = models.CharField(_("mobile (E.164)"), max_length=20)
    number_status = models.CharField(
        _("number status"), max_length=8, choices=NumberStatus.choices, default=NumberStatus.OK
    )
    number_error = models.CharField(_("number error"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    priority = models.PositiveSmallIntegerField(
        _("priority"), default=1, help_text=_("1 is called first when nobody is on shift.")
    )
    active = models.BooleanField(_("active"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="contact"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["department__sort_order", "department__code", "priority", "name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.UniqueConstraint(fields=["department", "mobile"], name="contact_unique_mobile_per_department"),
            models.CheckConstraint(condition=Q(priority__gte=1), name="contact_priority_positive"),
        ]

    def __str__(self):
        return f"{self.name} ({self.department.name})"


class Shift(models.Model):
    """One duty shift (值班) of a contact for their department."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="shifts")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="shifts")
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["start", "department__sort_order"]
        verbose_name = _("duty shift")
        verbose_name_plural = _("duty shifts")
        constraints = [models.CheckConstraint(condition=Q(end__gt=F("start")), name="shift_ends_after_start")]
        indexes = [models.Index(fields=["department", "start", "end"])]

    def __str__(self):
        return f"{self.contact.name} {self.start:%Y-%m-%d %H:%M}–{self.end:%H:%M}"


class UserProfile(models.Model):
    """What a user is bound to: a liaison to one department."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="members")

    class Meta:
        verbose_name = _("user profile")
        verbose_name_plural = _("user profiles")

    def __str__(self):
        return f"{self.user} → {self.department or '-'}"
