"""The escalation policy page's form: the policy's switches and a formset of its steps.

The forms check only the shape of what was posted; the rules (minutes, contacts per target,
number of steps) are the service's (services/policies.py), whose errors are put back on the
row and field they name."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from backend.directory.models import Contact
from backend.names import local_name, parenthesised

from .models import EscalationStep
from .services.policies import MAX_STEPS, MAX_WAIT_MINUTES


class PolicyForm(forms.Form):
    active = forms.BooleanField(label=_("active"), required=False)
    repeat_last = forms.BooleanField(
        label=_("repeat the last step"),
        required=False,
        help_text=_("Keep repeating the last step until acknowledged."),
    )


class StepForm(forms.Form):
    wait_minutes = forms.IntegerField(
        label=_("wait (minutes)"),
        widget=forms.NumberInput(attrs={"min": 1, "max": MAX_WAIT_MINUTES, "size": 5}),
    )
    # The blank choice keeps an untouched extra row unchanged, so it is skipped, not refused.
    target = forms.ChoiceField(label=_("notify"), choices=[("", "—"), *EscalationStep.Target.choices])
    contacts = forms.TypedMultipleChoiceField(
        label=_("contacts"),
        required=False,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )

    def __init__(self, *args, contact_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contacts"].choices = contact_choices


class BaseStepFormSet(forms.BaseFormSet):
    def __init__(self, *args, contact_choices=(), **kwargs):
        self.contact_choices = contact_choices
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        return {**super().get_form_kwargs(index), "contact_choices": self.contact_choices}

    def steps(self) -> tuple[list[dict], list[forms.Form]]:
        """The kept rows in their chosen order, and the form of each (to put errors back)."""
        kept = self.ordered_forms
        return [
            {
                "wait_minutes": f.cleaned_data["wait_minutes"],
                "target": f.cleaned_data["target"],
                "contacts": f.cleaned_data["contacts"],
            }
            for f in kept
        ], kept


StepFormSet = forms.formset_factory(
    StepForm, formset=BaseStepFormSet, extra=2, can_order=True, can_delete=True, max_num=MAX_STEPS, absolute_max=50
)


def contact_choices(department, keep: set[int] = frozenset()) -> list:
    """Active contacts grouped by department, the edited department first; contacts a policy
    already names but that are no longer active stay listed (marked), so saving the form shows
    the problem instead of dropping them unseen."""
    contacts = Contact.objects.filter(active=True) | Contact.objects.filter(pk__in=keep)
    contacts = contacts.select_related("department").order_by(
        "department__sort_order", "department__code", "priority", "name"
    )
    groups: dict = {}
    for c in contacts:
        label = c.name + parenthesised(c.duty_role or c.title or c.mobile)
        if not c.active:
            label += " " + str(_("(inactive)"))
        groups.setdefault(c.department, []).append((c.pk, label))
    ordered = sorted(groups.items(), key=lambda item: item[0].pk != department.pk)
    return [(local_name(d), rows) for d, rows in ordered]


STEP_KEY = re.compile(r"^steps\[(\d+)\]\.(\w+)$")


def place_errors(errors: dict[str, list[str]], policy_form: PolicyForm, kept: list[forms.Form]) -> list[str]:
    """Put the service's errors on the row and field they name; returns what belongs to no
    single field (e.g. too many steps)."""
    loose = []
    for key, messages in errors.items():
        match = STEP_KEY.match(key)
        if match and int(match[1]) < len(kept) and match[2] in kept[int(match[1])].fields:
            for message in messages:
                kept[int(match[1])].add_error(match[2], message)
        elif key in policy_form.fields:
            for message in messages:
                policy_form.add_error(key, message)
        else:
            loose.extend(messages)
    return loose
