"""The daily low-stock and expiry digest: one SMS per depot manager per day, not one per lot."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone

from backend.directory.models import Contact
from inventory.models import Depot

from ..models import Notification
from .notify import schedule_after_commit


def _managers(depot: Depot) -> list[Contact]:
    """The depot's manager contact and the contacts of the users bound to it."""
    found = {}
    if depot.manager_id and depot.manager.active:
        found[depot.manager_id] = depot.manager
    for contact in Contact.objects.filter(user__in=depot.managers.all(), active=True):
        found.setdefault(contact.pk, contact)
    return list(found.values())


def _lines(entries: dict[str, list[dict]]) -> list[str]:
    lines = []
    for depot_name, rows in entries.items():
        low = sum(1 for r in rows if r["_type"] == "low")
        expiring = sum(1 for r in rows if r["_type"] == "expiring")
        expired = sum(1 for r in rows if r["_type"] == "expired")
        parts = [
            f"{n}{label}" for n, label in ((low, "项低于储备下限"), (expiring, "批临期"), (expired, "批已过期")) if n
        ]
        lines.append(f"{depot_name}：{'，'.join(parts)}")
    return lines


def send_digests(digest: dict, on: date | None = None) -> int:
    """Queue one digest per manager contact for the day; a second run the same day sends nothing."""
    on = on or timezone.localdate()
    by_depot: dict[int, list[dict]] = defaultdict(list)
    for kind, key in (("low", "low_stock"), ("expiring", "expiring"), ("expired", "expired")):
        for entry in digest.get(key, []):
            by_depot[entry["depot_id"]].append({**entry, "_type": kind})
    per_contact: dict[int, dict] = {}
    for depot in Depot.objects.select_related("manager").filter(pk__in=by_depot, active=True).order_by("code"):
        for contact in _managers(depot):
            slot = per_contact.setdefault(contact.pk, {"contact": contact, "entries": {}})
            slot["entries"][depot.name] = by_depot[depot.pk]
    queued = 0
    for slot in per_contact.values():
        if _queue(slot["contact"], slot["entries"], on):
            queued += 1
    return queued


def _queue(contact: Contact, entries: dict, on: date) -> bool:
    from .compose import render

    now = timezone.now()
    items = [{"kind": "digest", "line": line, "date": f"{on.month}月{on.day}日"} for line in _lines(entries)]
    body = render("digest", lines=[i["line"] for i in items], date=items[0]["date"])
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                contact=contact,
                department_id=contact.department_id,
                kind=Notification.Kind.DIGEST,
                to=contact.mobile,
                body=body,
                items=items,
                digest_on=on,
                created_at=now,
                send_after=now,
            )
            schedule_after_commit(notification.pk)
    except IntegrityError:
        return False  # this person already has today's digest
    return True
