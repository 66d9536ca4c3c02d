"""Publishing to the channel layer from synchronous code (services, Celery tasks, threads).

`async_to_sync(layer.group_send)` outside an event loop builds a new loop for every call, and
the Redis channel layers keep their connections per loop: every push would then open a fresh
Redis connection (~100 ms under load). One long-lived loop in a daemon thread keeps one set
of connections for the whole process. Inside the ASGI server the same path is used, so every
process behaves alike.
"""

from __future__ import annotations

import asyncio
import logging
import threading

from channels.layers import get_channel_layer

log = logging.getLogger(__name__)

_loop: asyncio.AbstractEventLoop | None = None
_lock = threading.Lock()
_pid: int | None = None


def _publisher_loop() -> asyncio.AbstractEventLoop:
    global _loop, _pid
    import os

    with _lock:
        # After a fork (Celery prefork, uvicorn workers) the thread is gone: start a new one.
        if _loop is None or _pid != os.getpid():
            _loop = asyncio.new_event_loop()
            _pid = os.getpid()
            threading.Thread(target=_loop.run_forever, name="channel-layer-publisher", daemon=True).start()
        return _loop


def group_send(group: str, message: dict, timeout: float = 5.0) -> None:
    """Send to a group and wait for the layer to accept it (keeps order per caller)."""
    future = asyncio.run_coroutine_threadsafe(get_channel_layer().group_send(group, message), _publisher_loop())
    future.result(timeout)


def group_send_many(sends: list[tuple[str, dict]], timeout: float = 5.0) -> None:
    """group_send of several messages, in order, with one wait for all of them (an opening's
    events, board and department pushes: one hand-over to the loop rather than one each). A
    message the layer refuses is logged and the others still go."""

    async def send_all() -> None:
        layer = get_channel_layer()
        for group, message in sends:
            try:
                await layer.group_send(group, message)
            except Exception:
                log.exception("could not push to %s", group)

    if sends:
        asyncio.run_coroutine_threadsafe(send_all(), _publisher_loop()).result(timeout * len(sends))
