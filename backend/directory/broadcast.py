"""Push a notice to every connected duty desk, after the surrounding transaction commits."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from .consumers import DESK_GROUP


def notify_desk(text: str) -> None:
    def send():
        async_to_sync(get_channel_layer().group_send)(DESK_GROUP, {"type": "desk.notice", "text": text})

    transaction.on_commit(send)
