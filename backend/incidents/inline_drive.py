"""Running a coroutine inline, without a Task, and handing it to a Task only if it must wait.

The fan-out (fanout.py) calls each socket's handler for every event. Wrapping each call in an
asyncio Task costs a task object, a loop turn and a context switch per socket per event; with
hundreds of sockets on one incident that was the board's bottleneck. Nearly every handler
finishes without waiting (the frame goes into the socket's write buffer), so `start()` steps
the coroutine once, by hand, with `coro.send(None)`: done, or it yielded something to wait for.

THE TRICK (an asyncio internal): when a coroutine awaits an asyncio Future, the Future's
__await__ sets `future._asyncio_future_blocking = True` and yields the Future itself to
whoever drives the coroutine. A Task checks that flag, resets it and waits for the Future;
`finish()` below does the same: it resets the flag (asyncio raises "yield was used instead of
yield from" if a driver leaves it set) and waits with asyncio.wait(), then resumes the
coroutine with send(None), which reads the Future's result itself. A bare `yield` (as in
asyncio.sleep(0)) yields None: one loop turn.

`_asyncio_future_blocking` is part of asyncio's Future protocol (asyncio.isfuture() checks for
it, and third-party futures implement it), stable since Python 3.5, but not documented for
callers. If a future Python changes it, tests/incidents/test_inline_drive.py fails first, and
BOARD_FANOUT=channels (fanout.py) runs the board without this module at all.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine

_DONE = object()


def start(coro: Coroutine):
    """Step `coro` once. Returns _DONE when it finished, else what it is waiting for (a Future
    or None); exceptions raised by the coroutine propagate."""
    try:
        return coro.send(None)
    except StopIteration:
        return _DONE


def finished(awaited) -> bool:
    return awaited is _DONE


async def finish(coro: Coroutine, awaited) -> None:
    """Drive `coro` on from where it yielded `awaited`, as a Task would have done."""
    try:
        while True:
            if awaited is None:  # a bare yield (asyncio.sleep(0)): give the loop one turn
                await asyncio.sleep(0)
            else:
                # Wait for the future without taking its result: the coroutine takes it
                # (or its exception) itself when it is resumed.
                awaited._asyncio_future_blocking = False
                await asyncio.wait([awaited])
            awaited = coro.send(None)
    except StopIteration:
        return
    except asyncio.CancelledError:
        coro.close()
        raise
