"""Push a notice to every connected duty desk, after the surrounding transaction commits."""

from __future__ import annotations

from django.db import transaction

from backend import realtime

from .consumers import DESK_GROUP


def notify_desk(text: str) -> None:
    def send():
        realtime.group_send(DESK_GROUP, {"type": "desk.notice", "text": text})

    transaction.on_commit(send)
