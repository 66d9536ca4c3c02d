"""The live board over WebSockets.

/ws/incidents/{id}/ — accept; the client may send {"type": "auth", "token"} (browsers are
already authenticated by their session cookie), then {"type": "resume", "after": N} and gets
every event with seq > N from the database, then live events as they commit. Live events are
de-duplicated by seq and a gap is filled from the database, so a reconnecting client misses
nothing and gets nothing twice, even across a server restart.
/ws/board/ — one {"type": "incident", "data": {...}} per open incident on connect (after auth)
and on every change. A client that sends {"type": "tasks"} (optionally with "department": code;
default the user's own) also gets the department's task events, each {"type": "task",
"incident": {id, short_code, title, exercise}, "seq", "event_type", "at", "actor", "data"} with
`data` the task (docs/events.md, "Sockets"); the answer is {"type": "tasks.subscribed",
"department": code}, or {"type": "error"} when the user may not follow that department.
Close codes: 4401 not authenticated, 4403 may not see the incident (also when there is no such
incident: a closed door does not say whether an exercise exists behind it).
"""

from __future__ import annotations

import asyncio

from channels.db import database_sync_to_async

from backend.directory.sockets import GuardedJsonConsumer

from . import fanout, permissions, visibility
from .models import Incident
from .services import events as event_log

# A socket without a session must send its token at once (clients do, right after connecting).
AUTH_TIMEOUT_SECONDS = 5
GAP_WAIT_SECONDS = 0.5
MAX_SEQ = 2**53


class _AuthenticatedConsumer(GuardedJsonConsumer):
    """Accept first, then authenticate by session or by an {"type": "auth"} message.

    The base class (backend/directory/sockets.py) guards the frames and, once authenticated,
    re-checks the user and token every SOCKET_RECHECK_SECONDS in its own task (4401 when
    deactivated or the token is gone); pushed events below never wait for it."""

    # Messages pushed through the channel layer that touch no database: Channels would hop to a
    # thread to close old DB connections before each one (aclose_old_connections), which with
    # hundreds of sockets on one incident made that thread pool the board's bottleneck.
    DATABASE_FREE = frozenset({"incident.event", "incident.events", "board.incident", "department.task"})

    async def dispatch(self, message):
        if message.get("type") in self.DATABASE_FREE:
            handler = getattr(self, message["type"].replace(".", "_"))
            await handler(message)
            return
        await super().dispatch(message)

    async def connect(self):
        self.user = await self.session_user()  # None also when the session has been idle too long
        self._auth_timer = None
        await self.accept()
        if self.user is not None:
            self.start_watch(self.user)
            await self.on_authenticated()
        else:
            self._auth_timer = asyncio.get_running_loop().call_later(
                AUTH_TIMEOUT_SECONDS, lambda: asyncio.ensure_future(self.close(code=4401))
            )

    async def disconnect(self, code):
        await super().disconnect(code)
        if self._auth_timer is not None:
            self._auth_timer.cancel()

    async def receive_json(self, content, **kwargs):
        kind = content.get("type")  # a dict: the base class answers anything else with an error
        if kind == "auth":
            # The client answered in time: stop the clock before the lookup, which may queue
            # behind others when hundreds of sockets reconnect at once (after a restart).
            if self._auth_timer is not None:
                self._auth_timer.cancel()
                self._auth_timer = None
            user = await self.user_for_token(content.get("token", ""))
            if user is None:
                await self.close(code=4401)
                return
            self.user = user
            self.stop_watch()  # a socket that signed in by session and then by token: watch the token
            self.start_watch(user)
            await self.on_authenticated()
        elif kind == "ping":
            await self.send_json({"type": "pong"})
        elif self.user is None:
            await self.close(code=4401)
        else:
            await self.on_message(kind, content)

    async def on_authenticated(self):
        pass

    async def on_message(self, kind, content):
        await self.send_error(f"unknown message type {kind!r}")


class IncidentConsumer(_AuthenticatedConsumer):
    async def connect(self):
        self.incident_id = int(self.scope["url_route"]["kwargs"]["incident_id"])
        self.group = event_log.incident_group(self.incident_id)
        self.last_sent = None  # None until the client resumes
        self.pending: dict[int, dict] = {}
        self._gap_timer = None
        await super().connect()

    async def disconnect(self, code):
        await super().disconnect(code)
        if self._gap_timer is not None:
            self._gap_timer.cancel()
        await fanout.unsubscribe(self.group, self)

    async def on_authenticated(self):
        allowed = await self._check_access()
        if allowed is not None:
            await self.close(code=allowed)

    @database_sync_to_async
    def _check_access(self) -> int | None:
        incident = Incident.objects.filter(pk=self.incident_id).first()
        if incident is None:
            return 4403
        if not permissions.can_view(self.user, incident):
            return 4403
        return None

    async def on_message(self, kind, content):
        if kind != "resume":
            await super().on_message(kind, content)
            return
        try:
            after = max(int(content.get("after", 0)), 0)
            if after > MAX_SEQ:  # the database's bigint would refuse it
                raise ValueError(after)
        except (TypeError, ValueError, OverflowError):  # OverflowError: {"after": 1e999}
            await self.send_error("resume needs an integer 'after'")
            return
        # Join the group before reading the backlog: an event committed in between is then
        # both in the backlog and in the group, and the seq check drops the second copy.
        # Live events arrive through the process's shared subscription (fanout), which calls
        # incident_event directly, also while the backlog is being read.
        self.last_sent = after
        await fanout.subscribe(self.group, self)
        await self._send_from_database()

    async def _send_from_database(self):
        for payload in await database_sync_to_async(event_log.events_after)(self.incident_id, self.last_sent):
            await self._send_event(payload)
        self._flush_pending()

    async def _send_event(self, payload, frame: str | None = None):
        if payload["seq"] <= self.last_sent:
            return
        # Claim the seq before the write: if the write yields, a live copy of the same event
        # arriving meanwhile is dropped instead of sent twice.
        self.last_sent = payload["seq"]
        if frame is not None:
            await self.send(text_data=frame)
        else:
            await self.send_json({"type": "event", **payload})

    def _flush_pending(self):
        for seq in [s for s in self.pending if s <= self.last_sent]:
            del self.pending[seq]

    async def incident_event(self, message):
        if self.last_sent is None:
            return
        payload = message["event"]
        if payload["seq"] <= self.last_sent:
            return
        if payload["seq"] > self.last_sent + 1:
            # Two writers' pushes can cross on the way (each is sent after its own commit):
            # hold the later event briefly; if the missing one does not come, read the database.
            self.pending[payload["seq"]] = payload
            if self._gap_timer is None:
                self._gap_timer = asyncio.get_running_loop().call_later(
                    GAP_WAIT_SECONDS, lambda: asyncio.ensure_future(self._fill_gap())
                )
            return
        await self._send_event(payload, message.get("frame"))
        while self.last_sent + 1 in self.pending:
            await self._send_event(self.pending.pop(self.last_sent + 1))
        if not self.pending and self._gap_timer is not None:
            self._gap_timer.cancel()
            self._gap_timer = None

    async def incident_events(self, message):
        """A batch of consecutive events in one channel-layer message (events.events_message)."""
        for payload, frame in zip(message["events"], message["frames"], strict=True):
            await self.incident_event({"event": payload, "frame": frame})

    async def _fill_gap(self):
        self._gap_timer = None
        if self.pending:
            await self._send_from_database()


class BoardConsumer(_AuthenticatedConsumer):
    group = event_log.BOARD_GROUP

    department_group = None

    async def disconnect(self, code):
        await super().disconnect(code)
        await self.channel_layer.group_discard(self.group, self.channel_name)
        if self.department_group is not None:
            await self.channel_layer.group_discard(self.department_group, self.channel_name)

    async def on_message(self, kind, content):
        if kind != "tasks":
            await super().on_message(kind, content)
            return
        code = await database_sync_to_async(self._department_to_follow)(content.get("department"))
        if code is None:
            await self.send_json({"type": "error", "detail": "you may not follow that department's tasks"})
            return
        group = event_log.department_group(code)
        if self.department_group not in (None, group):
            await self.channel_layer.group_discard(self.department_group, self.channel_name)
        self.department_group = group
        await self.channel_layer.group_add(group, self.channel_name)
        await self.send_json({"type": "tasks.subscribed", "department": code})

    def _department_to_follow(self, requested) -> str | None:
        """The user's own department; another one only for a commander (the page's ?department=)."""
        from backend.directory.models import Department
        from backend.directory.services import department_of

        if not visibility.may_view_incidents(self.user):
            return None
        own = department_of(self.user)
        if requested in (None, "") or (own is not None and requested == own.code):
            return own.code if own is not None else None
        if not permissions.is_commander(self.user):
            return None
        # The stored code, never the client's value, names the group.
        return Department.objects.filter(code=str(requested)[:32]).values_list("code", flat=True).first()

    async def department_task(self, message):
        # Every socket in the group follows that department: its tasks are on incidents the
        # department may see (a task makes an exercise visible to its department).
        await self.send(text_data=message["frame"])

    async def on_authenticated(self):
        self.viewer = await database_sync_to_async(self._viewer_profile)()
        await self.channel_layer.group_add(self.group, self.channel_name)
        for summary in await database_sync_to_async(self._snapshot)():
            await self.send_json({"type": "incident", "data": summary})

    def _viewer_profile(self) -> dict:
        from backend.directory.services import department_of

        department = department_of(self.user)
        # The visibility rule (visibility.py), its per-user part computed once per socket: each
        # board message is then checked in memory, and only an exercise outside the user's
        # department asks the database (the rule's registered audiences, e.g. drill observers).
        return {
            "sees_all_exercises": visibility.sees_all_exercises(self.user),
            "department": department.code if department else None,
            "can_view": visibility.may_view_incidents(self.user),
        }

    def _snapshot(self) -> list[dict]:
        query = Incident.objects.exclude(status=Incident.Status.CLOSED).select_related("river")
        visible = permissions.visible_incidents(self.user, query).order_by("-reported_at")
        return [event_log.board_summary(incident) for incident in visible]

    def _may_see(self, summary: dict, departments: list[str]) -> bool:
        if not self.viewer["can_view"]:
            return False
        if not summary["exercise"] or self.viewer["sees_all_exercises"]:
            return True
        return self.viewer["department"] in departments

    async def board_incident(self, message):
        if self.user is None:
            return
        summary = message["data"]
        if self._may_see(summary, message.get("departments", [])) or (
            # Others the drills app lets see an exercise (its observers, say): ask the full rule.
            summary["exercise"] and self.viewer["can_view"] and await self._sees_exercise(summary["id"])
        ):
            await self.send_json({"type": "incident", "data": summary})

    @database_sync_to_async
    def _sees_exercise(self, incident_id: int) -> bool:
        incident = Incident.objects.filter(pk=incident_id).first()
        return incident is not None and permissions.can_view(self.user, incident)
