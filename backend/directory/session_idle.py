"""Log a browser session out after SESSION_IDLE_MINUTES without use.

The session keeps the time of its last use; a request after a longer pause finds the session
flushed (the user is anonymous again and pages send them to the login page). Use is an HTTP
request or, for an open page, its live socket (the consumers call `touch`): a duty officer
watching the board all night is not logged out. The session is written at most once a minute
for this, not on every request.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

LAST_USE_KEY = "_last_use"
WRITE_EVERY_SECONDS = 60


def idle_limit_seconds() -> float:
    return settings.SESSION_IDLE_MINUTES * 60


def is_idle_expired(session, now: float | None = None) -> bool:
    last = session.get(LAST_USE_KEY)
    if not isinstance(last, int | float) or settings.SESSION_IDLE_MINUTES <= 0:
        return False
    return (now or time.time()) - last > idle_limit_seconds()


def touch(session, now: float | None = None) -> bool:
    """Mark the session used; True when the stored time changed (the caller saves)."""
    now = now or time.time()
    last = session.get(LAST_USE_KEY)
    if isinstance(last, int | float) and now - last < WRITE_EVERY_SECONDS:
        return False
    session[LAST_USE_KEY] = int(now)
    return True


@receiver(user_logged_in, dispatch_uid="directory.session_idle.login")
def _start_the_clock(sender, request, user, **kwargs):
    # From the login on: a session never used after it expires too.
    session = getattr(request, "session", None)
    if session is not None:
        session[LAST_USE_KEY] = int(time.time())


class SessionIdleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            if is_idle_expired(session):
                logout(request)  # flushes the session; request.user becomes anonymous
            else:
                touch(session)
        return self.get_response(request)
