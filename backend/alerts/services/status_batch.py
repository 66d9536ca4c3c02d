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
