"""Forms of the inventory pages: ledger filters, the stocktake sheet and the lot actions
(write off, consume, transfer)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import QUANTITY, Depot, Item, Lot, Movement


class LedgerFilterForm(forms.Form):
    depot = forms.ModelChoiceField(
        Depot.objects.all(), to_field_name="code", required=False, label=_("Depot"), empty_label=_("All depots")
    )
    item = forms.ModelChoiceField(
        Item.objects.all(), to_field_name="code", required=False, label=_("Item"), empty_label=_("All items")
    )
    kind = forms.ChoiceField(choices=[("", _("All kinds")), *Movement.Kind.choices], required=False, label=_("Kind"))
    incident = forms.IntegerField(required=False, min_value=1, label=_("Incident"))
    since = forms.DateField(required=False, label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(required=False, label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def filter(self, movements):
        data = self.cleaned_data
        if data.get("depot"):
            movements = movements.filter(depot=data["depot"])
        if data.get("item"):
            movements = movements.filter(item=data["item"])
        if data.get("kind"):
            movements = movements.filter(kind=data["kind"])
        if data.get("incident"):
            movements = movements.filter(incident_id=data["incident"])
        if data.get("since"):
            movements = movements.filter(at__date__gte=data["since"])
        if data.get("until"):
            movements = movements.filter(at__date__lte=data["until"])
        return movements


class StocktakeForm(forms.Form):
    """One counted quantity per lot (blank: not counted) and one reason for the whole count."""

    reason = forms.CharField(
        max_length=200, label=_("Reason"), help_text=_("e.g. quarterly stocktake, damaged bags found")
    )

    def __init__(self, *args, lots: list[Lot], **kwargs):
        super().__init__(*args, **kwargs)
        self.lots = lots
        for lot in lots:
            self.fields[self.field_name(lot)] = forms.DecimalField(
                required=False,
                min_value=0,
                max_digits=QUANTITY["max_digits"],
                decimal_places=QUANTITY["decimal_places"],
                label=f"{lot.item.name} {lot.code}",
                widget=forms.NumberInput(attrs={"step": "any", "placeholder": f"{lot.quantity.normalize():f}"}),
            )

    @staticmethod
    def field_name(lot: Lot) -> str:
        return f"lot_{lot.pk}"

    def rows(self):
        """(lot, bound field) pairs for the template."""
        return [(lot, self[self.field_name(lot)]) for lot in self.lots]

    def counts(self):
        """The lots that were counted, with their count."""
        for lot in self.lots:
            counted = self.cleaned_data.get(self.field_name(lot))
            if counted is not None:
                yield lot, counted


def _quantity_field():
    return forms.DecimalField(
        min_value=Decimal("0.001"),
        max_digits=QUANTITY["max_digits"],
        decimal_places=QUANTITY["decimal_places"],
        label=_("Quantity"),
    )


class WriteOffForm(forms.Form):
    """Write off units of one lot (expired, damaged)."""

    quantity = _quantity_field()
    reason = forms.CharField(max_length=200, label=_("Reason"))


class ConsumeForm(forms.Form):
    """Units of one lot used at the depot without a dispatch."""

    quantity = _quantity_field()
    reason = forms.CharField(max_length=200, label=_("Reason"))
    incident = forms.IntegerField(required=False, min_value=1, label=_("Incident"))


class TransferForm(forms.Form):
    """Units of one lot moved to another depot."""

    to_depot = forms.ModelChoiceField(Depot.objects.all(), to_field_name="code", label=_("To depot"))
    quantity = _quantity_field()
    reason = forms.CharField(max_length=200, required=False, label=_("Reason"))
