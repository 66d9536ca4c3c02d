"""What the incident board shows per department: sent / delivered / failed / acknowledged."""

from __future__ import annotations

from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from backend.incidents.models import Task
from backend.names import pick

from ..models import Notification

S = Notification.Status
SENT = [S.ACCEPTED, S.SENT, S.DELIVERED, S.UNDELIVERED]
FAILED = [S.FAILED, S.UNDELIVERED]


def _iso(value):
    return timezone.localtime(value).isoformat() if value else None


def department_summary(incident_id: int) -> list[dict]:
    rows = {}
    counts = (
        Notification.objects.filter(incident_id=incident_id)
        .values("department_id", "department__code", "department__name", "department__name_en")
        .annotate(
            total=Count("pk"),
            # `sending` is ours (claimed, no sid yet) or Twilio's (handed on, with a sid).
            queued=Count("pk", filter=Q(status=S.QUEUED) | Q(status=S.SENDING, provider_sid="")),
            sent=Count("pk", filter=Q(status__in=SENT) | (Q(status=S.SENDING) & ~Q(provider_sid=""))),
            delivered=Count("pk", filter=Q(status=S.DELIVERED)),
            failed=Count("pk", filter=Q(status__in=FAILED)),
            unknown=Count("pk", filter=Q(status=S.UNKNOWN)),
            first_sent_at=Min("sent_at"),
            last_delivered_at=Max("delivered_at"),
        )
    )
    for row in counts:
        rows[row["department_id"]] = {
            "department": row["department__code"],
            "department_name": pick(row["department__name"], row["department__name_en"]),  # the page's language
            "notifications": row["total"],
            "queued": row["queued"],
            "sent": row["sent"],
            "delivered": row["delivered"],
            "failed": row["failed"],
            "unknown": row["unknown"],
            "first_sent_at": _iso(row["first_sent_at"]),
            "last_delivered_at": _iso(row["last_delivered_at"]),
            "tasks": 0,
            "acknowledged": 0,
            "first_acknowledged_at": None,
            "last_acknowledged_at": None,
            "latest_error": None,
        }
    tasks = (
        Task.objects.filter(incident_id=incident_id, department_id__in=rows)
        .values("department_id")
        .annotate(
            total=Count("pk"),
            acknowledged=Count("pk", filter=Q(acknowledged_at__isnull=False)),
            first=Min("acknowledged_at"),
            last=Max("acknowledged_at"),
        )
    )
    for row in tasks:
        entry = rows[row["department_id"]]
        entry["tasks"], entry["acknowledged"] = row["total"], row["acknowledged"]
        entry["first_acknowledged_at"], entry["last_acknowledged_at"] = _iso(row["first"]), _iso(row["last"])
    errors = (
        Notification.objects.filter(incident_id=incident_id)
        .exclude(error_code="", error_message="")
        .order_by("department_id", F("status_at").desc(nulls_last=True), "-pk")
        .distinct("department_id")
    )
    for n in errors.select_related("contact"):
        rows[n.department_id]["latest_error"] = {
            "notification": n.pk,
            "contact": n.contact.name,
            "status": n.status,
            "code": n.error_code or None,
            "message": n.error_message,
            "at": _iso(n.status_at or n.created_at),
        }
    return list(rows.values())
