"""The verbs of the directory: the only code that writes departments, contacts and shifts."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Contact, Department, Shift, UserProfile
from .phones import normalise_mobile

CONTACT_FIELDS = {"department", "name", "title", "duty_role", "mobile", "email", "priority", "active", "user"}


def _field_error(field: str, error: ValidationError) -> ValidationError:
    return ValidationError({field: error.messages})


@transaction.atomic
def save_contact(*, contact: Contact | None = None, **fields) -> Contact:
    """Create a contact or update the given one. The mobile is normalised to E.164."""
    unknown = set(fields) - CONTACT_FIELDS
    if unknown:
        raise ValueError(f"unknown contact fields: {sorted(unknown)}")
    if "mobile" in fields:
        try:
            fields["mobile"] = normalise_mobile(fields["mobile"])
        except ValidationError as exc:
            raise _field_error("mobile", exc) from None
    contact = contact or Contact()
    mobile_changed = "mobile" in fields and fields["mobile"] != contact.mobile
    for name, value in fields.items():
        setattr(contact, name, value)
    if mobile_changed:
        # A new number gets a fresh chance even if the old one was refused by the provider.
        contact.number_status = Contact.NumberStatus.OK
        contact.number_error = ""
    contact.full_clean(validate_constraints=False)
    duplicate = Contact.objects.filter(department=contact.department, mobile=contact.mobile).exclude(pk=contact.pk)
    if duplicate.exists():
        raise ValidationError({"mobile": [_("This department already has a contact with this number.")]})
    contact.save()
    return contact


@transaction.atomic
def deactivate_contact(contact: Contact) -> Contact:
    """Contacts are deactivated, not deleted: past notifications still name them."""
    contact.active = False
    contact.save(update_fields=["active", "updated_at"])
    return contact


@transaction.atomic
def mark_number_bad(contact: Contact, error: str) -> None:
    """Called when the SMS provider refuses a number permanently (e.g. Twilio 21211)."""
    Contact.objects.filter(pk=contact.pk).update(number_status=Contact.NumberStatus.BAD, number_error=error[:200])


@transaction.atomic
def save_shift(*, shift: Shift | None = None, **fields) -> Shift:
    shift = shift or Shift()
    for name, value in fields.items():
        setattr(shift, name, value)
    errors = {}
    if shift.start and shift.end and shift.end <= shift.start:
        errors["end"] = [_("A shift must end after it starts.")]
    if shift.contact_id and shift.department_id and shift.contact.department_id != shift.department_id:
        errors["contact"] = [_("This contact belongs to another department.")]
    if shift.start and shift.end and shift.end - shift.start > timedelta(hours=72):
        errors["end"] = [_("A shift longer than 72 hours is almost certainly a typing error.")]
    if errors:
        raise ValidationError(errors)
    shift.full_clean(validate_constraints=False)
    shift.save()
    return shift


@transaction.atomic
def delete_shift(shift: Shift) -> None:
    shift.delete()


def on_duty(department: Department, now: datetime | None = None) -> list[Contact]:
    """Who to alert for a department now: the active contacts whose shift covers `now`, or,
    when nobody is rostered, the priority-1 contacts (at least the best-ranked one)."""
    now = now or timezone.now()
    rostered = list(
        Contact.objects.filter(active=True, shifts__department=department, shifts__start__lte=now, shifts__end__gt=now)
        .distinct()
        .order_by("priority", "pk")
    )
    if rostered:
        return rostered
    fallback = list(department.contacts.filter(active=True).order_by("priority", "pk"))
    if not fallback:
        return []
    best = fallback[0].priority
    return [c for c in fallback if c.priority == best]


def on_duty_many(departments, now: datetime | None = None) -> dict[int, list[Contact]]:
    """on_duty() of several departments in one or two queries (an opening alerts them all):
    department id → its people, in the same order."""
    now = now or timezone.now()
    ids = [department.pk for department in departments]
    found: dict[int, list[Contact]] = {pk: [] for pk in ids}
    shifts = (
        Shift.objects.filter(department_id__in=ids, start__lte=now, end__gt=now, contact__active=True)
        .select_related("contact")
        .order_by("contact__priority", "contact__pk")
    )
    for shift in shifts:
        if all(c.pk != shift.contact_id for c in found[shift.department_id]):
            found[shift.department_id].append(shift.contact)
    unrostered = [pk for pk in ids if not found[pk]]
    if unrostered:
        fallback: dict[int, list[Contact]] = {}
        for contact in Contact.objects.filter(department_id__in=unrostered, active=True).order_by("priority", "pk"):
            fallback.setdefault(contact.department_id, []).append(contact)
        for pk, contacts in fallback.items():
            found[pk] = [c for c in contacts if c.priority == contacts[0].priority]
    return found


def shifts_between(start: datetime, end: datetime, department: Department | None = None):
    query = Shift.objects.filter(start__lt=end, end__gt=start).select_related("contact", "department")
    if department is not None:
        query = query.filter(department=department)
    return query.order_by("start")


def roster_gaps(start: datetime, end: datetime) -> dict[str, list[tuple[datetime, datetime]]]:
    """For each active agency department, the stretches of [start, end) that no shift covers."""
    gaps: dict[str, list[tuple[datetime, datetime]]] = {}
    departments = Department.objects.filter(active=True, kind=Department.Kind.AGENCY)
    for department in departments:
        cursor = start
        holes = []
        for shift in shifts_between(start, end, department):
            if shift.start > cursor:
                holes.append((cursor, shift.start))
            cursor = max(cursor, shift.end)
        if cursor < end:
            holes.append((cursor, end))
        if holes:
            gaps[department.code] = holes
    return gaps


@transaction.atomic
def ensure_user(*, username: str, password: str | None, role: str, department: Department | None = None, **extra):
    """Create or update a user with exactly one role (group) and, for a liaison, a department."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults=extra)
    if password and (created or not user.check_password(password)):
        user.set_password(password)
    user.is_staff = role == "administrator" or user.is_staff
    user.save()
    user.groups.set([Group.objects.get(name=role)])
    UserProfile.objects.update_or_create(user=user, defaults={"department": department})
    return user


def department_of(user) -> Department | None:
    profile = getattr(user, "profile", None) if user.is_authenticated else None
    return profile.department if profile else None


def search_contacts(text: str):
    return Contact.objects.filter(Q(name__icontains=text) | Q(mobile__contains=text))
