from __future__ import annotations

from django.db import transaction

from ..models import TreatmentMeasure
from ..reference_treatment import TREATMENT
from .deleting import delete_or_refuse

TREATMENT_FIELDS = {
    "category",
    "pollutant_code",
    "step",
    "name",
    "name_en",
    "item_code",
    "basis",
    "dose",
    "item_unit_kg",
    "source",
}


@transaction.atomic
def seed_treatment() -> int:
    """Create the reference measures that are missing (plans/reference_treatment.py); existing
    rows, perhaps edited by an administrator, are left as they are. Returns how many it created."""
    created = 0
    for category, pollutant_code, step, name, name_en, item, basis, dose, unit_kg, source in TREATMENT:
        _row, made = TreatmentMeasure.objects.get_or_create(
            category=category,
            pollutant_code=pollutant_code,
            step=step,
            item_code=item,
            defaults={
                "name": name,
                "name_en": name_en,
                "basis": basis,
                "dose": dose,
                "item_unit_kg": unit_kg,
                "source": source,
            },
        )
        created += made
    return created


@transaction.atomic
def save_treatment_measure(*, measure: TreatmentMeasure | None = None, **fields) -> TreatmentMeasure:
    unknown = set(fields) - TREATMENT_FIELDS
    if unknown:
        raise ValueError(f"unknown treatment fields: {sorted(unknown)}")
    measure = measure or TreatmentMeasure()
    for name, value in fields.items():
        setattr(measure, name, value)
    measure.full_clean()
    measure.save()
    return measure


@transaction.atomic
def delete_treatment_measure(measure: TreatmentMeasure) -> None:
    delete_or_refuse(measure)
