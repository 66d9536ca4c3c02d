"""End to end through real processes: a Celery worker sends through the real twilio library
to the sandbox, whose signed callbacks and replies reach the real ASGI server."""

from __future__ import annotations

import signal
import subprocess
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from backend.alerts.models import Notification
from backend.alerts.services import sending
from backend.alerts.tasks import send_notification
from backend.incidents.models import Task
from tests.support.servers import ROOT, VENV_BIN, process_env

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def wait_for(predicate, timeout: float = 45.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_an_opened_incident_is_sent_delivered_and_acknowledged_by_reply(
    sandbox, app_server, celery_worker_process, open_incident, people
):
    sandbox.auto_callbacks = True
    incident = open_incident(now=timezone.now())
    ids = list(Notification.objects.filter(incident=incident).values_list("pk", flat=True))
    assert len(ids) == 3

    delivered = wait_for(lambda: Notification.objects.filter(pk__in=ids, status="delivered").count() == 3)
    assert delivered, list(Notification.objects.values_list("status", "error_message"))
    assert len(sandbox.messages) == 3
    assert {c["status"] for c in sandbox.callbacks} == {"sent", "delivered"}
    assert all(c["answer"] == 200 for c in sandbox.callbacks)

    # A reply from a phone, through the sandbox's signed inbound webhook.
    reply = sandbox.reply(people["fire1"].mobile, f"{incident.short_code} 收到")
    assert reply["answer"] == 200 and "已确认" in reply["reply"]
    fire = Task.objects.get(incident=incident, department__code="fire")
    assert fire.acknowledged_at is not None and fire.acknowledged_by == "fire-1"


def test_a_duplicated_task_sends_once(sandbox, app_server, celery_worker_process, open_incident, people):
    incident = open_incident(now=timezone.now())
    assert wait_for(lambda: Notification.objects.filter(incident=incident, status="accepted").count() == 3)
    police = Notification.objects.get(incident=incident, contact=people["police1"])

    Notification.objects.filter(pk=police.pk).update(status="failed")
    copy = sending.resend(police)  # queued after commit ...
    send_notification.delay(copy.pk)  # ... and twice more by a confused producer
    send_notification.delay(copy.pk)

    assert wait_for(lambda: Notification.objects.get(pk=copy.pk).status == "accepted")
    time.sleep(1.0)  # let the duplicates run
    assert len(sandbox.messages_to(police.to)) == 2  # the original and exactly one resend


@contextmanager
def doomed_worker(queue: str):
    """A Celery worker of our own on its own queue (so the shared test worker never takes the
    task), to be killed with SIGKILL in the middle of a send."""
    log_path = ROOT / "var" / "test-celery-doomed.log"
    log = open(log_path, "w")
    proc = subprocess.Popen(
        [str(VENV_BIN / "celery"), "-A", "backend", "worker", "--pool", "solo", "--without-gossip",
         "--without-mingle", "--loglevel", "INFO", "-n", "doomed@%h", "-Q", queue],
        cwd=ROOT, env=process_env(), stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        assert wait_for(lambda: "ready." in log_path.read_text(), timeout=30), log_path.read_text()
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
        log.close()


def test_a_worker_killed_after_claiming_leaves_unknown_and_a_redelivery_sends_nothing(sandbox, people, departments):
    contact = people["police1"]
    now = timezone.now()
    # Set up directly (no on_commit dispatch to the shared worker): one queued message.
    notification = Notification.objects.create(
        contact=contact, department=departments["police"], kind="tasks", to=contact.mobile, body="测试",
        created_at=now, send_after=now,
    )  # fmt: skip
    sandbox.hold(contact.mobile, 20)  # the provider takes its time to answer ...
    queue = f"{settings.CELERY_TASK_DEFAULT_QUEUE}.doomed"
    with doomed_worker(queue) as worker:
        send_notification.apply_async((notification.pk,), queue=queue)
        assert wait_for(lambda: len(sandbox.messages_to(contact.mobile)) == 1, timeout=30)
        worker.send_signal(signal.SIGKILL)  # ... and the worker dies before it hears back
        worker.wait(10)
    notification.refresh_from_db()
    assert notification.status == "sending" and notification.provider_sid == ""

    # Celery delivers the task again to a new worker: the claim refuses it.
    with doomed_worker(queue):
        result = send_notification.apply_async((notification.pk,), queue=queue)
        assert result.get(timeout=30) == "skipped"
    assert len(sandbox.messages_to(contact.mobile)) == 1

    # The beat sweep turns the stale claim into `unknown`; the board offers a resend.
    assert sending.sweep_stale(now=now + timedelta(minutes=10)) == 1
    notification.refresh_from_db()
    assert notification.status == "unknown"
