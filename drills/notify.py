"""Telling participants about a drill before it runs (rescheduled, cancelled).

Before the start there is no incident, so the incident event path (which the SMS app follows)
is not available. The notice is kept as a DrillNotice row and, after commit, handed to the
alerts app if it offers `notify_departments(departments, text)`; until then it is logged.
"""

from __future__ import annotations

import importlib
import logging
from datetime import datetime

from django.db import transaction

from .models import Drill, DrillNotice

log = logging.getLogger(__name__)

EXERCISE_PREFIX = "【演练】"


def _alerts_sender():
    try:
        module = importlib.import_module("backend.alerts.services")
    except ImportError:
        return None
    return getattr(module, "notify_departments", None)


def notify_participants(drill: Drill, kind: str, message: str, *, now: datetime) -> DrillNotice:
    departments = list(drill.departments.values_list("code", flat=True))
    notice = DrillNotice.objects.create(
        drill=drill, kind=kind, message=message, departments=departments, created_at=now
    )
    text = f"{EXERCISE_PREFIX}{message}"

    def send():
        sender = _alerts_sender()
        if sender is None:
            log.info("drill %s notice to %s (no SMS sender yet): %s", drill.pk, departments, text)
            return
        try:
            sender(departments, text)
        except Exception:
            # The notice is stored and shown on the drill page; a failed SMS must not undo it.
            log.exception("could not send drill notice %s", notice.pk)

    transaction.on_commit(send)
    return notice
