"""Status callbacks applied in batches (issue 11): one transaction per batch, each incident
locked once for all of its sms_status events; statuses still move forward only and the event
log stays gapless, also when many request threads hand in callbacks at once (group commit)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from backend.alerts.models import Notification
from backend.alerts.services import sending, status
from backend.alerts.services.status_batch import GroupCommit
from backend.incidents.models import IncidentEvent

from .conftest import T0

S = Notification.Status


def sent_notifications(open_incident) -> list[Notification]:
    open_incident()
    ids = list(Notification.objects.filter(status=S.QUEUED).values_list("pk", flat=True))
    for pk in ids:
        sending.send(pk, now=T0)
    rows = list(Notification.objects.filter(pk__in=ids).order_by("pk"))
    assert len(rows) >= 3 and all(n.provider_sid for n in rows)
    return rows


def seqs(incident_id: int) -> list[int]:
    return list(IncidentEvent.objects.filter(incident_id=incident_id).order_by("seq").values_list("seq", flat=True))


@pytest.mark.django_db
def test_a_batch_applies_forward_only_in_order_with_consecutive_events(sandbox, open_incident):
    first, second, third = sent_notifications(open_incident)[:3]
    incident = first.incident_id
    before = IncidentEvent.objects.filter(incident_id=incident).count()
    was = (first.status, second.status)
    batch = [
        {"sid": first.provider_sid, "status": "delivered"},
        {"sid": first.provider_sid, "status": "sent"},  # late: never moves delivered back
        {"sid": second.provider_sid, "status": "sent"},
        {"sid": second.provider_sid, "status": "undelivered", "error_code": "30003", "error_message": "unreachable"},
        {"sid": "SMnotours", "status": "delivered"},
        {"sid": third.provider_sid, "status": "bogus"},
    ]
    results = status.apply_statuses(batch)

    assert [r.pk if isinstance(r, Notification) else r for r in results] == [
        first.pk, None, second.pk, second.pk, Notification.DoesNotExist, None,
    ]  # fmt: skip
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.DELIVERED and first.delivered_at is not None
    assert second.status == S.UNDELIVERED and second.error_code == "30003"
    events = list(IncidentEvent.objects.filter(incident_id=incident, event_type="sms_status").order_by("seq"))[-3:]
    assert [(e.data["notification"], e.data["previous"], e.data["status"]) for e in events] == [
        (first.pk, was[0], "delivered"), (second.pk, was[1], "sent"), (second.pk, "sent", "undelivered"),
    ]  # fmt: skip
    assert IncidentEvent.objects.filter(incident_id=incident).count() == before + 3
    assert seqs(incident) == list(range(1, before + 4))  # gapless, unique


@pytest.mark.django_db(transaction=True)
def test_callbacks_from_many_threads_at_once_are_batched_and_the_log_stays_gapless(sandbox, open_incident):
    rows = sent_notifications(open_incident)
    incident = rows[0].incident_id
    before = IncidentEvent.objects.filter(incident_id=incident).count()
    batches = []

    def apply(batch):
        batches.append(len(batch))
        return status.apply_statuses(batch)

    group = GroupCommit(apply)
    start = threading.Barrier(len(rows) * 2)
    errors = []

    def post(notification, state):
        try:
            start.wait(10)
            group.submit({"sid": notification.provider_sid, "status": state})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(n, s)) for n in rows for s in ("sent", "delivered")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == []
    assert sum(batches) == len(rows) * 2
    assert len(batches) < len(rows) * 2, "callbacks arriving together share a transaction"
    assert set(Notification.objects.filter(pk__in=[n.pk for n in rows]).values_list("status", flat=True)) == {
        S.DELIVERED
    }
    after = seqs(incident)
    assert after == list(range(1, len(after) + 1))
    # sent then delivered, or delivered alone when it came first: between 1 and 2 per message.
    assert len(rows) <= len(after) - before <= 2 * len(rows)
