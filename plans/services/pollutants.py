from __future__ import annotations

from django.db import transaction

from ..models import Pollutant
from ..reference import POLLUTANTS
from .deleting import delete_or_refuse

POLLUTANT_FIELDS = {"code", "name", "name_en", "category", *(f"limit_{c}" for c in ("i", "ii", "iii", "iv", "v"))}
POLLUTANT_FIELDS |= {"decay_per_day", "source_limit_mg_l", "lake_limits"}


@transaction.atomic
def seed_pollutants() -> int:
    """Upsert the reference catalogue (plans/reference.py). Returns how many rows it wrote."""
    for code, name, name_en, category, limits, decay, source_limit, lake_limits in POLLUTANTS:
        values = {"name": name, "name_en": name_en, "category": category, "decay_per_day": decay}
        values.update({"source_limit_mg_l": source_limit, "lake_limits": list(lake_limits or [])})
        values.update({f"limit_{c}": v for c, v in zip(("i", "ii", "iii", "iv", "v"), limits, strict=True)})
        Pollutant.objects.update_or_create(code=code, defaults=values)
    return len(POLLUTANTS)


@transaction.atomic
def save_pollutant(*, pollutant: Pollutant | None = None, **fields) -> Pollutant:
    unknown = set(fields) - POLLUTANT_FIELDS
    if unknown:
        raise ValueError(f"unknown pollutant fields: {sorted(unknown)}")
    pollutant = pollutant or Pollutant()
    for name, value in fields.items():
        setattr(pollutant, name, value)
    pollutant.full_clean()
    pollutant.save()
    return pollutant


@transaction.atomic
def delete_pollutant(pollutant: Pollutant) -> None:
    delete_or_refuse(pollutant)
