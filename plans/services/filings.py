"""电子化备案: enterprise emergency plans filed against risk sources, and which are missing."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import EnterprisePlanFiling, RiverFeature
from .deleting import delete_or_refuse

FILING_FIELDS = {"risk_source", "filing_number", "filed_on", "expires_on", "status", "document", "note"}


@transaction.atomic
def save_filing(*, filing: EnterprisePlanFiling | None = None, **fields) -> EnterprisePlanFiling:
    unknown = set(fields) - FILING_FIELDS
    if unknown:
        raise ValueError(f"unknown filing fields: {sorted(unknown)}")
    filing = filing or EnterprisePlanFiling()
    for name, value in fields.items():
        setattr(filing, name, value)
    if filing.risk_source_id and filing.risk_source.kind != RiverFeature.Kind.RISK_SOURCE:
        raise ValidationError({"risk_source": [_("Plans are filed for risk sources only.")]})
    if filing.filed_on and filing.expires_on and filing.expires_on <= filing.filed_on:
        raise ValidationError({"expires_on": [_("The filing must expire after it was filed.")]})
    filing.full_clean(validate_constraints=False)
    filing.save()
    return filing


@transaction.atomic
def delete_filing(filing: EnterprisePlanFiling) -> None:
    delete_or_refuse(filing)


def missing_or_expired_filings(today: date | None = None) -> QuerySet[RiverFeature]:
    """Risk sources without a filing in force today (status filed, not expired), annotated with
    `has_filing` so callers can tell "never filed" from "expired / not accepted"."""
    today = today or timezone.localdate()
    in_force = EnterprisePlanFiling.objects.filter(
        risk_source=OuterRef("pk"), status=EnterprisePlanFiling.Status.FILED, expires_on__gte=today
    )
    any_filing = EnterprisePlanFiling.objects.filter(risk_source=OuterRef("pk"))
    return (
        RiverFeature.objects.filter(kind=RiverFeature.Kind.RISK_SOURCE)
        .annotate(in_force=Exists(in_force), has_filing=Exists(any_filing))
        .filter(~Q(in_force=True))
        .select_related("river")
        .order_by("river__code", "chainage_m")
    )
