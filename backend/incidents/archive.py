"""The archive of closed incidents: searched by date, river, pollutant and level, each row
leading to the room (read-only once closed) and the reports issued for it."""

from __future__ import annotations

from datetime import date, datetime, time

from django import forms
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from plans.models import Pollutant, River

from . import permissions
from .models import Incident

PAGE_SIZE = 50


class LocalNameChoice(forms.ModelChoiceField):
    """Options named in the user's language (name_en in English mode when there is one)."""

    def label_from_instance(self, obj):
        english = (get_language() or "").startswith("en") and getattr(obj, "name_en", "")
        return english or obj.name


class ArchiveSearch(forms.Form):
    q = forms.CharField(label=_("Title or code"), required=False, max_length=100)
    since = forms.DateField(label=_("Reported from"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Reported until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    river = LocalNameChoice(
        label=_("River"), queryset=River.objects.order_by("name"), to_field_name="code", required=False
    )
    pollutant = LocalNameChoice(
        label=_("Pollutant"), queryset=Pollutant.objects.order_by("code"), to_field_name="code", required=False
    )
    level = forms.TypedChoiceField(
        label=_("Level"), choices=[("", "—"), *Incident.Level.choices], coerce=int, required=False, empty_value=None
    )
    exercise = forms.BooleanField(label=_("Exercises (drills) instead of real incidents"), required=False)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def search(user, data) -> tuple[ArchiveSearch, list[Incident]]:
    form = ArchiveSearch(data or None)
    query = permissions.visible_incidents(user, Incident.objects.filter(status=Incident.Status.CLOSED))
    query = query.select_related("river", "pollutant")
    wanted = form.cleaned_data if form.is_valid() else {}
    query = query.filter(exercise=bool(wanted.get("exercise")))
    if wanted.get("q"):
        query = query.filter(Q(title__icontains=wanted["q"]) | Q(short_code__iexact=wanted["q"]))
    if wanted.get("since"):
        query = query.filter(reported_at__gte=_day_start(wanted["since"]))
    if wanted.get("until"):
        query = query.filter(reported_at__lt=_day_start(wanted["until"]) + timezone.timedelta(days=1))
    if wanted.get("river"):
        query = query.filter(river=wanted["river"])
    if wanted.get("pollutant"):
        query = query.filter(pollutant=wanted["pollutant"])
    if wanted.get("level"):
        query = query.filter(level=wanted["level"])
    return form, list(query.order_by("-reported_at")[:PAGE_SIZE])


def reports_of(incident: Incident) -> list[dict]:
    """The incident's printable reports: the situation report always; the issued result report
    (处理结果报告) and others when the reporting records exist (model with related_name "reports")."""
    links = [{"label": _("Situation report"), "url": reverse("incidents:sitrep", args=[incident.pk])}]
    issued = getattr(incident, "reports", None)
    if issued is not None:
        for report in issued.all():
            try:
                url = reverse("incidents:report", args=[report.pk])
            except NoReverseMatch:
                continue
            label = report.get_kind_display() if hasattr(report, "get_kind_display") else str(report)
            links.insert(0, {"label": label, "url": url, "result": getattr(report, "kind", "") == "result"})
    return links
