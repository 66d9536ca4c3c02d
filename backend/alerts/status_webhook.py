"""Twilio's status callbacks, taken off Django's generic request path (issue 11: 300 a second).

A large alert brings a thousand callbacks within seconds. Through Django each one crossed the
sync middleware chain, three event loop / thread hops and a thread of its own, and so opened a
database connection of its own (backend/settings: no persistent connections under ASGI); the
batch work itself was a fifth of the server's time. `StatusWebhook` sits in front of Django's
ASGI application (backend/asgi.py) and answers only a form POST to the status callback path:
it reads the body in the event loop, checks the host and the signature exactly as the Django
view does (the same functions, on the same request class), and hands the callback to a group
commit whose batches all run in ONE applier thread with its own long-lived connection. Every
other request, and any request this path would answer differently from Django (a host not
allowed, a redirect to https, a form Django refuses), goes to Django unchanged.

The answer is 200 only once the callback's batch is committed: nothing is acknowledged that a
crash could lose. The Django view (views.twilio_status) stays for the test client and WSGI;
both use `signature_valid`, `status_callback` and status.apply_callbacks below.
"""

from __future__ import annotations

import io
import logging
from concurrent.futures import ThreadPoolExecutor
from contextlib import suppress

from django.conf import settings
from django.core.exceptions import DisallowedHost, RequestDataTooBig, TooManyFieldsSent
from django.core.handlers.asgi import ASGIRequest, get_script_prefix
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.urls import get_script_prefix as url_prefix
from django.urls import reverse
from django.utils import timezone
from twilio.request_validator import RequestValidator

from .services import status
from .services.status_batch import AsyncGroupCommit

log = logging.getLogger(__name__)
FORM = b"application/x-www-form-urlencoded"


def signature_valid(request) -> bool:
    """X-Twilio-Signature over the PUBLIC URL (what Twilio called) and the POSTed fields; the
    URL the app sees behind a proxy may differ, so it is never taken from the request."""
    token = settings.TWILIO_AUTH_TOKEN
    signature = request.headers.get("X-Twilio-Signature", "")
    if not token or not signature:
        return False
    url = settings.PUBLIC_BASE_URL.rstrip("/") + request.get_full_path()
    # The QueryDict itself: the validator reads repeated fields with getlist.
    return RequestValidator(token).validate(url, request.POST, signature)


def status_callback(request) -> dict:
    """A status callback's fields, as status.apply_callbacks takes them."""
    form = request.POST
    return {
        "sid": form.get("MessageSid") or form.get("SmsSid", ""),
        "status": form.get("MessageStatus") or form.get("SmsStatus", ""),
        "error_code": form.get("ErrorCode", ""),
        "error_message": form.get("ErrorMessage", ""),
        "now": timezone.now(),
    }


def _apply_on_own_connection(callbacks: list[dict]) -> list:
    """One batch, in the applier thread, on the connection that thread keeps. Checked before
    the batch; one lost mid-batch (PostgreSQL restarted: tests/chaos) is dropped and the batch
    run once more on a new one, which changes nothing the first run committed (forward only)."""
    if connection.connection is not None and not connection.is_usable():
        _close_connection()
    try:
        return status.apply_callbacks(callbacks)
    except (OperationalError, InterfaceError):
        log.warning("status callbacks: database connection lost; the batch is run again", exc_info=True)
        _close_connection()
        return status.apply_callbacks(callbacks)


def _close_connection() -> None:
    with suppress(DatabaseError):  # it may be broken already
        connection.close()


class Applier:
    """The one thread that applies status callback batches, and its group commit."""

    def __init__(self):
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="status-applier")
        self.batches = AsyncGroupCommit(_apply_on_own_connection, self.executor)

    async def submit(self, callback: dict):
        return await self.batches.submit(callback)

    def close_connection(self) -> None:
        """Close the applier thread's connection (a test database cannot be dropped with it open)."""
        self.executor.submit(_close_connection).result()


applier = Applier()


async def _answer(send, code: int, body: bytes = b"", content_type: bytes = b"text/plain") -> None:
    headers = [
        (b"content-type", content_type),
        (b"content-length", str(len(body)).encode()),
        # What Django's security and clickjacking middleware add to every answer.
        (b"x-content-type-options", b"nosniff"),
        (b"x-frame-options", b"DENY"),
    ]
    await send({"type": "http.response.start", "status": code, "headers": headers})
    await send({"type": "http.response.body", "body": body})


def _replayed(body: bytes, receive):
    """`receive` for Django after this app has read the body: the body once, then the client's."""
    sent = False

    async def replay():
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay


class _Gone(Exception):
    """The client went away before its body arrived: nobody to answer."""


async def _read_body(receive, limit: int | None) -> bytes | None:
    """The request body, or None when it exceeds `limit`."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise _Gone
        chunk = message.get("body", b"")
        size += len(chunk)
        if limit is not None and size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


class StatusWebhook:
    """ASGI application: the status callback path's POSTs here, everything else to `app`."""

    def __init__(self, app):
        self.app = app
        self._path_info: str | None = None

    def _is_status_callback(self, scope) -> bool:
        if scope["type"] != "http" or scope["method"] != "POST":
            return False
        if self._path_info is None:  # the URLconf is not importable before Django is set up
            self._path_info = "/" + reverse("alerts:twilio-status").removeprefix(url_prefix())
        # The path as Django routes it (ASGIRequest.path_info), under any script prefix.
        return scope["path"].removeprefix(get_script_prefix(scope)) == self._path_info

    async def __call__(self, scope, receive, send):
        if not self._is_status_callback(scope):
            return await self.app(scope, receive, send)
        headers = dict(scope.get("headers", []))
        # Twilio posts a form; anything else is Django's to parse (and refuse).
        if headers.get(b"content-type", b"").split(b";")[0].strip().lower() != FORM:
            return await self.app(scope, receive, send)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        declared = headers.get(b"content-length", b"0")
        if limit is not None and (not declared.isdigit() or int(declared) > limit):
            return await _answer(send, 413, b"request body too large")
        try:
            body = await _read_body(receive, limit)
        except _Gone:
            return
        if body is None:
            return await _answer(send, 413, b"request body too large")
        request = ASGIRequest(scope, io.BytesIO(body))
        try:
            request.get_host()  # ALLOWED_HOSTS, as Django checks it
            request.POST  # noqa: B018 - parsed here, with Django's limits on fields
        except (DisallowedHost, RequestDataTooBig, TooManyFieldsSent):
            return await self.app(scope, _replayed(body, receive), send)  # Django's 400, logged as always
        if settings.SECURE_SSL_REDIRECT and not request.is_secure():
            return await self.app(scope, _replayed(body, receive), send)  # Django's redirect
        if not signature_valid(request):
            return await _answer(send, 403, b"invalid signature", b"text/html; charset=utf-8")
        try:
            await applier.submit(status_callback(request))
        except Exception:
            log.exception("status callback %s could not be applied", request.POST.get("MessageSid", ""))
            return await _answer(send, 500, b"could not apply the status")
        # 200 whether or not anything changed: a repeated, late or early callback is not an error.
        return await _answer(send, 200)
