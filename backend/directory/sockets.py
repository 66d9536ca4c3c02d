"""What every socket of the system does before its own work: guard the frames, keep watch.

- Frames: a frame larger than SOCKET_MAX_MESSAGE_BYTES closes the socket (1009, "message too
  big"); more than SOCKET_MESSAGES_PER_SECOND (after a burst of SOCKET_MESSAGE_BURST) are
  dropped with one error message, and a client that keeps on is closed with 4429. A frame that
  is not a JSON object gets {"type": "error"} and the socket stays open: a bad frame from one
  client must not crash the consumer (Channels' JSON consumer raises on it).
- Watch: every SOCKET_RECHECK_SECONDS (≤ 30 s) the socket checks that its user is still active
  and, when it signed in with an API token, that the token still exists and has not expired;
  otherwise it closes with 4401. One query per period, in a task that sleeps between checks
  (not on the path of pushed events); sockets of one process that hold the same token (or
  user) share a verdict for a tenth of the period (at most 2.5 s), so a wall display's
  hundreds of sockets cost a few queries, not hundreds, and take no thread hop meanwhile.
- Sessions: an open page's socket is use of the session (session_idle.py): the socket marks
  it used on connect and every SOCKET_SESSION_TOUCH_SECONDS, reading the session afresh so a
  logout or an idle expiry in the meantime closes the socket (4401) instead of reviving it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import time

from channels.db import database_sync_to_async
from channels.exceptions import StopConsumer
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.base import UpdateError

from . import session_idle, tokens

log = logging.getLogger(__name__)

CLOSE_NOT_AUTHENTICATED = 4401
CLOSE_TOO_MANY_MESSAGES = 4429
CLOSE_MESSAGE_TOO_BIG = 1009
MAX_RECHECK_SECONDS = 25.0  # plus a shared verdict's age and the query's time, still within 30 s

# (kind, token key or user id) → (monotonic time of the check, allowed), per process.
_verdicts: dict[tuple, tuple[float, bool]] = {}


def _shared_verdict(key, max_age: float) -> bool | None:
    found = _verdicts.get(key) if key is not None else None
    if found is None or time.monotonic() - found[0] > max_age:
        return None
    return found[1]


def _remember_verdict(key, allowed: bool, max_age: float) -> None:
    if key is None:
        return
    now = time.monotonic()
    if len(_verdicts) > 256:  # many distinct tokens: forget the stale ones
        for stale in [k for k, (at, _) in _verdicts.items() if now - at > max_age]:
            del _verdicts[stale]
    _verdicts[key] = (now, allowed)


def _user_is_active(user_id) -> bool:
    return get_user_model().objects.filter(pk=user_id, is_active=True).exists()


def _session_still_signed_in(session, user_id, reload: bool = True) -> bool:
    """Is the session still this user's and not idle-expired? Then mark it used.

    `reload` reads it afresh (a long-open socket's copy is stale: saving it could undo what
    requests wrote since); on connect the copy the auth middleware just read is fresh."""
    if session is None or not session.session_key:
        return False
    if reload:
        session = session.__class__(session_key=session.session_key)
    if str(session.get(SESSION_KEY)) != str(user_id) or session_idle.is_idle_expired(session):
        return False
    if session_idle.touch(session):
        try:
            session.save()
        except UpdateError:  # logged out between the read and the write
            return False
    return True


class GuardedJsonConsumer(AsyncJsonWebsocketConsumer):
    """Base of the system's JSON sockets (see the module docstring)."""

    _watch_task = None
    _token_key = None
    _tokens = None
    _refilled_at = None
    _dropped = 0

    # --- frames ---------------------------------------------------------------------------
    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        size = len(text_data.encode("utf-8")) if text_data is not None else len(bytes_data or b"")
        if size > settings.SOCKET_MAX_MESSAGE_BYTES:
            await self.send_error("message too large")
            await self.close(code=CLOSE_MESSAGE_TOO_BIG)
            return
        if not self._take_token():
            self._dropped += 1
            if self._dropped == 1:
                await self.send_error("too many messages; slow down")
            elif self._dropped > settings.SOCKET_MESSAGE_BURST:
                await self.close(code=CLOSE_TOO_MANY_MESSAGES)
            return
        self._dropped = 0
        if text_data is None:
            await self.send_error("binary frames are not accepted; send JSON text")
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.send_error("malformed JSON")
            return
        if not isinstance(content, dict):
            await self.send_error("a message is a JSON object with a 'type'")
            return
        try:
            await self.receive_json(content, **kwargs)
        except StopConsumer:
            raise
        except Exception:
            # One client's odd message must not end the consumer (and its socket) with a 1011.
            log.exception("socket message handling failed: %r", text_data[:200])
            await self.send_error("the message could not be handled")

    def _take_token(self) -> bool:
        now = time.monotonic()
        burst = settings.SOCKET_MESSAGE_BURST
        if self._tokens is None:
            self._tokens, self._refilled_at = float(burst), now
        self._tokens = min(burst, self._tokens + (now - self._refilled_at) * settings.SOCKET_MESSAGES_PER_SECOND)
        self._refilled_at = now
        if self._tokens < 1:
            return False
        self._tokens -= 1
        return True

    async def send_error(self, detail: str):
        await self.send_json({"type": "error", "detail": detail})

    # --- who is on the other end --------------------------------------------------------------
    async def session_user(self):
        """The user of the session cookie, or None (also when the session has been idle too long)."""
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            return None
        session = self.scope.get("session")
        signed_in = await database_sync_to_async(_session_still_signed_in)(session, user.pk, reload=False)
        return user if signed_in else None

    @database_sync_to_async
    def user_for_token(self, key):
        user = tokens.user_for_key(key)
        if user is not None:
            self._token_key = key[:40]
        return user

    # --- the watch ----------------------------------------------------------------------------
    def start_watch(self, user) -> None:
        """Re-check `user` (and the token, if the socket signed in with one) periodically."""
        if self._watch_task is None:
            self._watch_task = asyncio.ensure_future(self._watch(user.pk))

    def stop_watch(self) -> None:
        if self._watch_task is not None:
            self._watch_task.cancel()
            self._watch_task = None

    async def _watch(self, user_id):
        # The promise is "closed within 30 s": a larger setting would break it.
        period = min(settings.SOCKET_RECHECK_SECONDS, MAX_RECHECK_SECONDS)
        touched_at = time.monotonic()
        # Spread the checks of sockets that connected together (after a restart, say).
        await asyncio.sleep(period * random.uniform(0.5, 1.0))
        while True:
            touch = time.monotonic() - touched_at >= settings.SOCKET_SESSION_TOUCH_SECONDS
            # A token's or a user's verdict is shared; a session touch is this socket's own.
            key = ("token", self._token_key) if self._token_key else None if touch else ("user", user_id)
            allowed = _shared_verdict(key, period / 10)
            try:
                if allowed is None:
                    allowed = await database_sync_to_async(self._still_allowed)(user_id, touch)
                    _remember_verdict(key, allowed, period / 10)
            except Exception:  # a database hiccup is no reason to drop the socket: next period
                log.exception("socket re-check failed; trying again in %s s", period)
                allowed = True
            else:
                touched_at = time.monotonic() if touch else touched_at
            if not allowed:
                self._watch_task = None
                await self.close(code=CLOSE_NOT_AUTHENTICATED)
                return
            await asyncio.sleep(period)

    def _still_allowed(self, user_id, touch_session: bool) -> bool:
        if self._token_key is not None:
            return tokens.key_is_valid(self._token_key)
        if not _user_is_active(user_id):
            return False
        return _session_still_signed_in(self.scope.get("session"), user_id) if touch_session else True

    async def disconnect(self, code):
        self.stop_watch()
