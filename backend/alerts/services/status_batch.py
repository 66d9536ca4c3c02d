"""Group commit of Twilio's status callbacks within one server process.

A large alert brings a burst of callbacks (queued, sent, delivered for each of a thousand
messages). Each request thread hands its callback to the batcher and waits; one of the waiting
threads (the leader) applies everything pending in one transaction (status.apply_statuses),
then wakes the others with their results. While it commits, new callbacks gather for the next
batch, so the batch grows with the load and a lone callback is applied at once. A request is
answered only after its callback is committed, as before: nothing is acknowledged to Twilio
that a crash could still lose.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable

MAX_BATCH = 200


class _Item:
    __slots__ = ("payload", "result", "error", "finished", "lead", "wake")

    def __init__(self, payload):
        self.payload = payload
        self.result = None
        self.error: BaseException | None = None
        self.finished = False
        self.lead = False
        self.wake = threading.Event()


class GroupCommit:
    def __init__(self, apply_batch: Callable[[list], list], max_batch: int = MAX_BATCH):
        self.apply_batch = apply_batch
        self.max_batch = max_batch
        self._lock = threading.Lock()
        self._pending: list[_Item] = []
        self._flushing = False  # a leader is at work; while False, _pending is empty

    def submit(self, payload):
        item = _Item(payload)
        with self._lock:
            self._pending.append(item)
            if not self._flushing:
                self._flushing = item.lead = True
        if not item.lead:
            item.wake.wait()  # woken with a result, or to take over as leader
        if not item.finished:
            self._lead(item)
        if item.error is not None:
            raise item.error
        return item.result

    def _lead(self, own: _Item) -> None:
        try:
            while not own.finished:
                with self._lock:
                    batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
                try:
                    results = self.apply_batch([item.payload for item in batch])
                except Exception as exc:  # every waiter of the batch gets the failure (a 500 for Twilio)
                    results, error = [None] * len(batch), exc
                else:
                    error = None
                for item, result in zip(batch, results, strict=True):
                    item.result, item.error, item.finished = result, error, True
                    if item is not own:
                        item.wake.set()
        finally:
            # Hand over to the oldest waiter, so no request waits behind batches it is not in.
            with self._lock:
                if self._pending:
                    self._pending[0].lead = True
                    self._pending[0].wake.set()
                else:
                    self._flushing = False


class AsyncGroupCommit:
    """The same group commit for callbacks taken off Django's request path in the event loop
    (backend/alerts/status_webhook.py): awaiting requests gather while a batch is applied, and
    every batch runs in the one thread of `executor`, so the process holds one database
    connection for all of its callbacks instead of one per request thread."""

    def __init__(self, apply_batch: Callable[[list], list], executor, max_batch: int = MAX_BATCH):
        self.apply_batch = apply_batch
        self.executor = executor
        self.max_batch = max_batch
        self._pending: list[tuple[object, asyncio.Future]] = []
        self._drain: asyncio.Task | None = None  # applying; while None, _pending is empty

    async def submit(self, payload):
        loop = asyncio.get_running_loop()
        future = loop.create_future()
        self._pending.append((payload, future))
        # A drain task of a loop that has stopped (a test's) would never come back.
        if self._drain is None or self._drain.get_loop() is not loop:
            self._drain = loop.create_task(self._apply_pending())
        return await future

    async def _apply_pending(self) -> None:
        loop = asyncio.get_running_loop()
        try:
            while self._pending:
                batch, self._pending = self._pending[: self.max_batch], self._pending[self.max_batch :]
                try:
                    results = await loop.run_in_executor(self.executor, self.apply_batch, [p for p, _ in batch])
                except Exception as exc:  # every waiter of the batch gets the failure (a 500 for Twilio)
                    for _, future in batch:
                        if not future.done():
                            future.set_exception(exc)
                    continue
                for (_, future), result in zip(batch, results, strict=True):
                    if not future.done():  # a request cancelled meanwhile (client gone)
                        future.set_result(result)
        finally:
            if self._drain is asyncio.current_task():
                self._drain = None
