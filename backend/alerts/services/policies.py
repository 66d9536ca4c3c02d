"""Escalation policies: save a department's ladder (the only writer of EscalationPolicy and
EscalationStep outside the admin) and describe the ladder that escalation.py will follow.

A step's `wait_minutes` counts from the previous step (escalation.py schedules each step
`wait_minutes` after the one before), so the summary adds them up: "10 分钟后 → …; 20 分钟后 → …".
Only a step that notifies listed contacts uses its contacts; the other targets find their
people when the step is taken (the department's next rank, the bureau's duty leader).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from backend.directory.models import Contact, Department

from ..models import EscalationPolicy, EscalationStep
from . import escalation
from .escalation import DEFAULT_STEPS

log = logging.getLogger(__name__)

T = EscalationStep.Target
MAX_STEPS = 10
MAX_WAIT_MINUTES = 24 * 60  # a ladder that waits a day is no alarm


@dataclass
class StepView:
    wait_minutes: int
    target: str
    contacts: list[Contact] = field(default_factory=list)
    id: int | None = None
    order: int = 0


@dataclass
class PolicyView:
    """The ladder a department has in effect: its own policy, or the default one."""

    department: Department
    configured: bool
    active: bool
    repeat_last: bool
    steps: list[StepView]
    id: int | None = None


def effective_policy(department: Department) -> PolicyView:
    """Mirrors escalation.steps_for (no policy: the default ladder). Uses what the caller
    prefetched (`escalation_policy__steps__contacts`) when it is there."""
    try:
        policy = department.escalation_policy
    except EscalationPolicy.DoesNotExist:
        steps = [StepView(wait, target, order=n) for n, (wait, target) in enumerate(DEFAULT_STEPS, 1)]
        return PolicyView(department, configured=False, active=True, repeat_last=False, steps=steps)
    steps = [
        StepView(s.wait_minutes, s.target, list(s.contacts.all()), id=s.pk, order=s.order) for s in policy.steps.all()
    ]
    return PolicyView(department, True, policy.active, policy.repeat_last, steps, id=policy.pk)


def describe(view: PolicyView) -> str:
    """One line for people: "10 分钟后 → 本单位下一批联系人; 20 分钟后 → 局带班领导"."""
    if not view.active:
        return _("Inactive: no escalation")
    if not view.steps:
        return _("No steps: no escalation")
    parts, elapsed = [], 0
    for step in view.steps:
        elapsed += step.wait_minutes
        if step.target == T.CONTACTS:
            names = [c.name if c.active else _("%(name)s (inactive)") % {"name": c.name} for c in step.contacts]
            who = pgettext("list separator", ", ").join(names) or _("nobody")
        else:
            who = str(T(step.target).label)
        parts.append(_("after %(minutes)s min → %(who)s") % {"minutes": elapsed, "who": who})
    line = "; ".join(parts)
    if view.repeat_last:
        line = _("%(ladder)s (the last step repeats until acknowledged)") % {"ladder": line}
    return line


def _validate(active: bool, steps: list[Mapping]) -> tuple[list[dict], dict[str, list[str]]]:
    """Check every step; returns the cleaned steps and errors keyed like the API's body
    ("steps[1].wait_minutes", 0-based)."""
    errors: dict[str, list[str]] = {}
    if not isinstance(active, bool):
        errors["active"] = [_("Must be true or false.")]
    if len(steps) > MAX_STEPS:
        errors["steps"] = [_("At most %(n)s steps.") % {"n": MAX_STEPS}]
    elif active and not steps:
        errors["steps"] = [_("An active policy needs at least one step (or make it inactive).")]
    wanted_ids = {pk for step in steps for pk in (step.get("contacts") or []) if isinstance(pk, int)}
    contacts = Contact.objects.in_bulk(wanted_ids)
    cleaned = []
    for index, step in enumerate(steps):
        key = f"steps[{index}]"
        wait, target = step.get("wait_minutes"), step.get("target")
        ids = list(dict.fromkeys(step.get("contacts") or []))  # keep the order, drop repeats
        if not isinstance(wait, int) or isinstance(wait, bool) or not 1 <= wait <= MAX_WAIT_MINUTES:
            errors[f"{key}.wait_minutes"] = [_("Enter whole minutes from 1 to %(max)s.") % {"max": MAX_WAIT_MINUTES}]
        if target not in T.values:
            errors[f"{key}.target"] = [_("Choose one of: %(choices)s.") % {"choices": ", ".join(T.values)}]
        elif target == T.CONTACTS:
            problems = []
            unknown = [pk for pk in ids if pk not in contacts]
            if unknown:
                problems.append(_("Unknown contacts: %(ids)s.") % {"ids": ", ".join(map(str, unknown))})
            # escalation.py skips inactive contacts silently; refusing them keeps the ladder
            # saying what will really happen.
            inactive = [contacts[pk].name for pk in ids if pk in contacts and not contacts[pk].active]
            if inactive:
                problems.append(_("Inactive contacts: %(names)s.") % {"names": ", ".join(inactive)})
            if not ids:
                problems.append(_("Choose at least one active contact to notify."))
            if problems:
                errors[f"{key}.contacts"] = problems
        elif ids:
            errors[f"{key}.contacts"] = [_("Only a step that notifies listed contacts takes contacts.")]
        cleaned.append({"wait_minutes": wait, "target": target, "contacts": ids})
    return cleaned, errors


@transaction.atomic
def save_policy(
    department: Department, *, active: bool = True, repeat_last: bool = False, steps: Iterable[Mapping], actor=None
) -> EscalationPolicy:
    """Create or replace a department's policy and all its steps, in order, in one
    transaction. Raises ValidationError ({"steps[1].wait_minutes": [...]}) and writes nothing
    when any part is wrong. Escalations under way move to the new ladder at once
    (escalation.reschedule): their next step is due by the new waits."""
    steps = list(steps)
    cleaned, errors = _validate(active, steps)
    if not isinstance(repeat_last, bool):
        errors["repeat_last"] = [_("Must be true or false.")]
    if errors:
        raise ValidationError(errors)
    # The lock makes two editors of one department queue up instead of interleaving steps.
    policy, created = EscalationPolicy.objects.select_for_update().get_or_create(department=department)
    # The ladder before the edit (the default one for a first policy) dates the steps under way.
    old_steps, old_repeat = escalation.default_ladder() if created else escalation.steps_for(department)
    policy.active, policy.repeat_last = active, repeat_last
    policy.save(update_fields=["active", "repeat_last"])
    policy.steps.all().delete()
    for order, step in enumerate(cleaned, 1):
        row = EscalationStep.objects.create(
            policy=policy, order=order, wait_minutes=step["wait_minutes"], target=step["target"]
        )
        if step["contacts"]:
            row.contacts.set(step["contacts"])
    escalation.reschedule(department, old_steps, old_repeat, timezone.now())
    log.info(
        "escalation policy of %s saved by %s: active=%s, %d steps",
        department.code,
        getattr(actor, "username", actor),
        active,
        len(cleaned),
    )
    return policy
