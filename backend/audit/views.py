"""The audit trail page (/audit/): administrators look up who changed what, when, and from what
to what; filtered by model, object, actor and date."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from auditlog.models import LogEntry
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backend.directory.roles import ADMINISTRATOR, has_role

from .registry import audited_models

PAGE_SIZE = 50
# auditlog ships no Chinese: its action names and admin history words, translated in the
# project's catalogue (listed here so makemessages finds them).
AUDITLOG_WORDS = (_("create"), _("update"), _("delete"), _("access"), _("No field changes"), _("Audit log: %s"))


def _day(raw: str | None) -> date | None:
    try:
        return date.fromisoformat(raw) if raw else None
    except ValueError:
        return None


def _models() -> list[dict]:
    types = ContentType.objects.get_for_models(*audited_models())
    rows = [
        {"key": f"{ct.app_label}.{ct.model}", "label": model._meta.verbose_name, "id": ct.pk}
        for model, ct in types.items()
    ]
    return sorted(rows, key=lambda row: str(row["label"]))


def filtered_entries(params, models: list[dict]):
    entries = LogEntry.objects.select_related("actor", "content_type").order_by("-timestamp", "-pk")
    chosen = {
        "model": params.get("model", ""),
        "object": params.get("object", "").strip(),
        "actor": params.get("actor", "").strip(),
    }
    by_key = {row["key"]: row["id"] for row in models}
    if chosen["model"] in by_key:
        entries = entries.filter(content_type_id=by_key[chosen["model"]])
    else:
        chosen["model"] = ""
    if chosen["object"]:
        entries = entries.filter(object_pk=chosen["object"])
    if chosen["actor"]:
        entries = entries.filter(actor__username=chosen["actor"])
    tz = timezone.get_current_timezone()
    start, end = _day(params.get("from")), _day(params.get("to"))
    if start:
        entries = entries.filter(timestamp__gte=datetime.combine(start, time.min, tzinfo=tz))
    if end:
        entries = entries.filter(timestamp__lt=datetime.combine(end + timedelta(days=1), time.min, tzinfo=tz))
    chosen["from"], chosen["to"] = start.isoformat() if start else "", end.isoformat() if end else ""
    return entries, chosen


def change_rows(entry) -> list[tuple[str, str, str]]:
    """(field label in the user's language, old, new): auditlog's own display keeps a field's
    name where its verbose name is not at hand, so the labels are looked up here."""
    model = entry.content_type.model_class()
    display = entry.changes_display_dict
    rows = []
    for name, change in (entry.changes_dict or {}).items():
        try:
            label = str(model._meta.get_field(name).verbose_name) if model else name
        except Exception:  # a field since removed: its stored name
            label = name
        shown = next((v for k, v in display.items() if str(k).lower() in (name.lower(), label.lower())), change)
        old, new = (shown + ["", ""])[:2] if isinstance(shown, list) else (change + ["", ""])[:2]
        # A field without its own verbose name has its attribute name ("task", "drill"): the
        # catalogue usually has the word.
        rows.append((gettext(label), old, new))
    return rows


@login_required
def audit_log(request):
    if not has_role(request.user, ADMINISTRATOR):
        raise PermissionDenied
    models = _models()
    entries, chosen = filtered_entries(request.GET, models)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    for entry in page:
        entry.change_rows = change_rows(entry)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "audit/log.html",
        {"page": page, "models": models, "chosen": chosen, "query": query.urlencode()},
    )
