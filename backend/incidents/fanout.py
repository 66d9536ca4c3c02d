"""One channel-layer subscription per incident per server process, shared by its sockets.

With every socket in the channel-layer group, each event was received, decoded and dispatched
once per socket: a queue wake-up, a task switch, a msgpack decode and Channels' dispatch loop,
500 times over for 500 sockets on one incident. Here the process joins the group once; the
event is received and decoded once and handed to each socket's consumer in a plain loop, which
only writes the frame encoded by the publisher. The channel layer still carries every event
between processes, so any number of server processes (and restarts) behave as before.

Delivery is inline (inline_drive.py isolates and documents the one asyncio internal this
relies on): each socket's handler runs at once, in the reader's loop, without a task of its
own, and normally finishes without waiting (the frame goes into the socket's buffer). A
handler that must wait (a slow client whose buffer is full) is finished in a task of its own,
and later messages for that socket queue behind it in order, so one slow phone never holds up
the other sockets. A socket that falls hopelessly behind loses its queue but the newest
message; the consumer sees the gap in seq and reads the missing events from the database.

BOARD_FANOUT (settings) chooses the mode for the incident sockets: "inline" (this hub, the
default) or "channels", the plain Channels way: each socket joins the channel-layer group itself
and Channels dispatches each message to it (no shared subscription, no inline driving; slower
with many sockets on one incident, see the README's board figures). Consumers call subscribe()
and unsubscribe(), which follow the setting; join()/leave() are the hub's own.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections import deque

from channels.layers import get_channel_layer
from django.conf import settings

from . import inline_drive

log = logging.getLogger(__name__)

# Messages queued behind a socket that is still writing, before its queue is dropped.
BACKLOG_LIMIT = 200


class _Member:
    __slots__ = ("consumer", "backlog", "task")

    def __init__(self, consumer):
        self.consumer = consumer
        self.backlog: deque[tuple[str, dict]] = deque()
        self.task: asyncio.Task | None = None


# Per event loop: a test runner may run consumers on several loops, one after the other.
_hubs: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, dict[str, _Hub]] = weakref.WeakKeyDictionary()


class _Hub:
    def __init__(self, group: str):
        self.group = group
        self.layer = get_channel_layer()
        self.members: dict[int, _Member] = {}  # by id(consumer), in join order
        self.channel: str | None = None
        self.subscribed = asyncio.get_running_loop().create_future()
        self.reader: asyncio.Task | None = None

    async def start(self) -> None:
        try:
            # The default prefix: the core layer reads all of a process's specific channels
            # through one queue named by that prefix, so another prefix would go unread.
            self.channel = await self.layer.new_channel()
            await self.layer.group_add(self.group, self.channel)
        except Exception as exc:
            self.subscribed.set_exception(exc)
            raise
        self.reader = asyncio.get_running_loop().create_task(self._read())
        self.subscribed.set_result(None)

    async def stop(self) -> None:
        if self.reader is not None:
            self.reader.cancel()
        if self.channel is not None:
            try:
                await self.layer.group_discard(self.group, self.channel)
            except Exception:
                log.exception("fan-out %s: leaving the group failed", self.group)

    async def _read(self) -> None:
        while True:
            try:
                message = await self.layer.receive(self.channel)
            except asyncio.CancelledError:
                raise
            except Exception:
                # Redis went away: the layer reconnects; a socket that missed an event
                # fills the gap from the database when the next one arrives.
                log.exception("fan-out %s: receiving failed", self.group)
                await asyncio.sleep(1)
                continue
            handler_name = message.get("type", "").replace(".", "_")
            for member in list(self.members.values()):
                self._deliver(member, handler_name, message)

    def _deliver(self, member: _Member, handler_name: str, message: dict) -> None:
        if member.task is not None:  # still writing an earlier message: keep the order
            if len(member.backlog) >= BACKLOG_LIMIT:
                member.backlog.clear()  # the next message's seq shows the gap; see module doc
            member.backlog.append((handler_name, message))
            return
        coro = getattr(member.consumer, handler_name)(message)
        try:
            awaited = inline_drive.start(coro)
        except OSError:
            return  # the socket closed; its consumer leaves the group when told (disconnect)
        except Exception:
            log.exception("fan-out %s: delivery to one socket failed", self.group)
            return
        if inline_drive.finished(awaited):
            return  # the usual case: written without waiting
        member.task = asyncio.get_running_loop().create_task(self._catch_up(member, coro, awaited))

    async def _catch_up(self, member: _Member, coro, awaited) -> None:
        try:
            await inline_drive.finish(coro, awaited)
            while member.backlog:
                handler_name, message = member.backlog.popleft()
                await getattr(member.consumer, handler_name)(message)
        except (asyncio.CancelledError, OSError):
            pass  # left the group, or the socket closed (see above)
        except Exception:
            log.exception("fan-out %s: delivery to one socket failed", self.group)
        finally:
            member.task = None


async def join(group: str, consumer) -> None:
    """Deliver the group's messages to `consumer` from now on (returns once subscribed)."""
    hubs = _hubs.setdefault(asyncio.get_running_loop(), {})
    hub = hubs.get(group)
    if hub is None:
        hub = hubs[group] = _Hub(group)
        hub.members[id(consumer)] = _Member(consumer)
        try:
            await hub.start()
        except Exception:
            if hubs.get(group) is hub:
                del hubs[group]
            raise
        if hubs.get(group) is not hub:
            await hub.stop()  # everyone left while it was subscribing: do not leave it running
        return
    hub.members[id(consumer)] = _Member(consumer)
    await asyncio.shield(hub.subscribed)


async def leave(group: str, consumer) -> None:
    hubs = _hubs.get(asyncio.get_running_loop(), {})
    hub = hubs.get(group)
    member = hub.members.pop(id(consumer), None) if hub else None
    if member is None:
        return
    if member.task is not None:
        member.task.cancel()
    if not hub.members:
        # Forget the hub before the await: a socket joining meanwhile starts a new one.
        del hubs[group]
        await hub.stop()


def member_count(group: str) -> int:
    hub = _hubs.get(asyncio.get_running_loop(), {}).get(group)
    return len(hub.members) if hub else 0


def inline() -> bool:
    return settings.BOARD_FANOUT == "inline"


async def subscribe(group: str, consumer) -> None:
    """The consumer receives the group's messages from now on (by the BOARD_FANOUT mode)."""
    if inline():
        await join(group, consumer)
    else:
        await consumer.channel_layer.group_add(group, consumer.channel_name)


async def unsubscribe(group: str, consumer) -> None:
    if inline():
        await leave(group, consumer)
    else:
        await consumer.channel_layer.group_discard(group, consumer.channel_name)
