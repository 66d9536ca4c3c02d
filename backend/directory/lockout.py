"""Lockout after repeated failed logins (the login page, /admin/ and POST /api/auth/token/).

Two counters per failure, kept in the cache (Redis, shared by every server process):
- a username from one client address: locked after LOGIN_FAILURE_LIMIT failures;
- a username from any address: locked after three times that (a guesser spreading attempts
  over many addresses still stops).
Each lock lasts LOGIN_COOLOFF_MINUTES from the last failure. Failures are counted from Django's
`user_login_failed` signal, so every path that calls `authenticate()` is covered; the
LockoutBackend (Django's ModelBackend with this check) refuses to check any password while locked,
so a correct password does not open a locked account either. The login forms and the token
view ask `is_locked()` first to tell the person why.

Counting by username, not by user: a guess at a name that does not exist is counted the same,
so the answer does not reveal which usernames exist. Settings are read on every call, so
tests switch the lockout on with override_settings (test settings have LOGIN_FAILURE_LIMIT = 0).
"""

from __future__ import annotations

import hashlib
import time

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.utils import translation
from django.utils.translation import gettext

from .client_address import client_address

USERNAME_FACTOR = 3  # a username from any address: three times the per-address limit


class LockedOut(PermissionDenied):
    pass


def enabled() -> bool:
    return settings.LOGIN_FAILURE_LIMIT > 0


def cooloff_seconds() -> int:
    return max(int(settings.LOGIN_COOLOFF_MINUTES * 60), 1)


def _digest(text: str) -> str:
    # Usernames are user input: hash them so any text makes a valid, bounded cache key.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]


def _keys(username: str, address: str) -> tuple[str, str]:
    name = _digest(username.strip().lower())
    return f"lockout:pair:{name}:{_digest(address)}", f"lockout:user:{name}"


def _count(key: str, now: float) -> int:
    """Failures counted under `key` whose cool-off has not run out (by the app's clock: the
    cache's own expiry only cleans up, so a test that moves time forward sees the lock end)."""
    values = cache.get_many([key, f"{key}:at"])
    last = values.get(f"{key}:at")
    if last is None or now - float(last) >= cooloff_seconds():
        return 0
    return int(values.get(key) or 0)


def is_locked(request, username: str | None) -> bool:
    if not enabled() or not username:
        return False
    now = time.time()
    pair_key, user_key = _keys(username, client_address(request))
    limit = settings.LOGIN_FAILURE_LIMIT
    return _count(pair_key, now) >= limit or _count(user_key, now) >= limit * USERNAME_FACTOR


def record_failure(request, username: str | None) -> None:
    if not enabled() or not username:
        return
    now = time.time()
    timeout = cooloff_seconds()
    for key in _keys(username, client_address(request)):
        if _count(key, now) == 0:
            cache.set(key, 0, timeout)  # the previous failures' cool-off is over: start again
        cache.add(key, 0, timeout)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout)
        cache.touch(key, timeout)  # the cool-off runs from the last failure
        cache.set(f"{key}:at", now, timeout)


def reset_address(request, username: str) -> None:
    """A successful login clears this address's count (not the username's total)."""
    key = _keys(username, client_address(request))[0]
    cache.delete_many([key, f"{key}:at"])


def message() -> str:
    minutes = int(round(settings.LOGIN_COOLOFF_MINUTES))
    return gettext(
        "Too many failed login attempts: this account is locked for %(minutes)d minutes. "
        "Try again later or ask an administrator."
    ) % {"minutes": minutes}


def api_detail() -> str:
    """The API's answer: the person's language, and English for programs and logs."""
    text = message()
    with translation.override("en"):
        english = message()
    return text if text == english else f"{text} ({english})"


def _username_from(credentials: dict) -> str | None:
    value = credentials.get("username")
    return value if isinstance(value, str) else None


class LockoutBackend(ModelBackend):
    """Django's password check, refused outright for a locked-out username and address.

    One backend, not a guard in front of ModelBackend: Django's test client and other callers
    of force_login take the first backend to load users back from the session."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is not None and isinstance(username, str) and is_locked(request, username):
            # The refusal itself is not another failure (it would extend the lock forever).
            request._login_locked_out = True
            raise LockedOut(message())
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed, dispatch_uid="directory.lockout.failed")
def _count_failure(sender, credentials, request=None, **kwargs):
    if request is None or getattr(request, "_login_locked_out", False):
        return
    record_failure(request, _username_from(credentials))


@receiver(user_logged_in, dispatch_uid="directory.lockout.success")
def _clear_on_success(sender, request, user, **kwargs):
    if request is not None and enabled():
        reset_address(request, user.get_username())
