"""Issuing an information report: once, numbered, frozen (the database refuses changes: see
migration 0003). A 初报 comes first and once; 续报 are numbered 1, 2, ... and may follow at any
time, a correction included; the 处理结果报告 comes once."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from backend.api import DomainRefusal

from ..information import WRITTEN_FIELDS, build_content
from ..models import Incident, InformationReport
from .events import actor_label, lock_incident, record

KINDS = InformationReport.Kind


@transaction.atomic
def issue_report(
    incident: Incident,
    kind: str,
    *,
    signatory: str,
    contact_name: str,
    contact_phone: str,
    unit: str = "",
    written: dict | None = None,
    actor=None,
    now: datetime | None = None,
) -> InformationReport:
    errors = {}
    if kind not in KINDS.values:
        errors["kind"] = [_("One of: initial, followup, result.")]
    for field, value in (("signatory", signatory), ("contact_name", contact_name), ("contact_phone", contact_phone)):
        if not (value or "").strip():
            errors[field] = [_("A written report names its signatory, contact person and contact number.")]
    unknown = set(written or {}) - set(WRITTEN_FIELDS.get(kind, ()))
    if unknown:
        errors.update({name: [_("Not a field of this kind of report.")] for name in sorted(unknown)})
    if errors:
        raise ValidationError(errors)
    now = now or timezone.now()
    incident = lock_incident(incident.pk)
    issued = InformationReport.objects.filter(incident=incident)
    has_initial = issued.filter(kind=KINDS.INITIAL).exists()
    if kind == KINDS.INITIAL and has_initial:
        raise DomainRefusal(_("The initial report is already issued; issue a follow-up report."), kind=kind)
    if kind != KINDS.INITIAL and not has_initial:
        raise DomainRefusal(_("Issue the initial report first."), kind=kind)
    if kind == KINDS.RESULT and issued.filter(kind=KINDS.RESULT).exists():
        raise DomainRefusal(_("The result report is already issued; a correction is a follow-up report."), kind=kind)
    number = issued.filter(kind=kind).count() + 1
    previous = issued.order_by("-issued_at", "-pk").first()
    report = InformationReport.objects.create(
        incident=incident,
        kind=kind,
        number=number,
        issued_at=now,
        issued_by=actor if actor is not None and actor.is_authenticated else None,
        issued_by_name=actor_label(actor),
        signatory=signatory.strip(),
        contact_name=contact_name.strip(),
        contact_phone=contact_phone.strip(),
        unit=(unit or "").strip() or settings.REPORTING_UNIT,
        content=build_content(incident, kind, written or {}, previous),
    )
    record(
        incident,
        "report_issued",
        {"report": report.pk, "kind": kind, "number": number, "signatory": report.signatory, "unit": report.unit},
        actor=actor,
        at=now,
    )
    return report
