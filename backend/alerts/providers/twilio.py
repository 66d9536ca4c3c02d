"""Twilio through the official library. TWILIO_API_URL re-points it (e.g. at the sandbox or a
test server): the library has no base-URL option, so the HTTP client rewrites scheme and host."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit, urlunsplit

import requests
from django.conf import settings
from requests.adapters import HTTPAdapter
from twilio.base.exceptions import TwilioException, TwilioRestException, TwilioServiceException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from twilio.rest.api.v2010.account.message import MessageInstance  # noqa: F401 - see below

from .base import Provider, TransportError

# Refusals that no retry can fix: the number is wrong, opted out, a landline, or not allowed.
PERMANENT_CODES = {21211, 21610, 21614, 21408}
# Twilio's own "too many requests"; HTTP 429 and 5xx are transient whatever the code.
TRANSIENT_CODES = {20429}

# The library logs every request with its headers at INFO; one line per SMS is enough, and
# our own log line carries it (sending.py). Set this logger to INFO to debug the wire.
http_log = logging.getLogger("backend.alerts.twilio_http")
http_log.setLevel(logging.WARNING)
# The MessageInstance import above loads the library's REST tree when a worker starts: it is
# otherwise imported lazily (~0.7 s) and that delay would fall on each worker's first alert.


class RebasedHttpClient(TwilioHttpClient):
    def __init__(self, base_url: str, **kwargs):
        super().__init__(**kwargs)
        parts = urlsplit(base_url)
        self.scheme, self.netloc, self.prefix = parts.scheme, parts.netloc, parts.path.rstrip("/")

    def request(self, method, url, *args, **kwargs):
        parts = urlsplit(url)
        url = urlunsplit((self.scheme, self.netloc, self.prefix + parts.path, parts.query, parts.fragment))
        return super().request(method, url, *args, **kwargs)


_clients: dict[tuple, Client] = {}


def http_timeout_seconds() -> float:
    """How long one request to Twilio may take (the library makes no retries of its own)."""
    return float(settings.SMS_HTTP_TIMEOUT_SECONDS)


def _client() -> Client:
    """One client (and its pooled HTTP session) per worker process and configuration."""
    base = (getattr(settings, "TWILIO_API_URL", "") or "https://api.twilio.com").rstrip("/")
    timeout = http_timeout_seconds()
    key = (settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, base, timeout)
    if key not in _clients:
        if base == "https://api.twilio.com":
            http = TwilioHttpClient(timeout=timeout, logger=http_log)
        else:
            http = RebasedHttpClient(base, timeout=timeout, logger=http_log)
        # A connection kept alive for each request a batch has in flight at once (the
        # library's pool is sized by the CPU count: 6 on 2 cores; beyond it each request would
        # open, and then drop, a connection of its own).
        size = max(10, int(settings.SMS_SEND_CONCURRENCY))
        for scheme in ("https://", "http://"):
            http.session.mount(scheme, HTTPAdapter(pool_connections=1, pool_maxsize=size))
        _clients[key] = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN, http_client=http)
    return _clients[key]


def refusal(exc: TwilioRestException | TwilioServiceException) -> TransportError:
    """Classify Twilio's error answer (the legacy shape or the RFC 9457 one)."""
    status = int(getattr(exc, "status", 0) or 0)
    raw = getattr(exc, "code", None)
    code = int(raw) if str(raw).isdigit() else None
    detail = getattr(exc, "msg", "") or getattr(exc, "detail", "") or getattr(exc, "title", "")
    text = f"HTTP {status}: {detail}"[:300]
    if code in PERMANENT_CODES:
        return TransportError(text, permanent=True, code=code)
    if status == 429 or status >= 500 or code in TRANSIENT_CODES:
        return TransportError(text, permanent=False, code=code or status)
    # Any other 4xx: the request itself is wrong; repeating it gives the same answer.
    return TransportError(text, permanent=True, code=code or status)


class TwilioProvider(Provider):
    name = "twilio"

    def send(self, to: str, body: str, status_callback: str) -> str:
        if not settings.TWILIO_ACCOUNT_SID or not settings.TWILIO_AUTH_TOKEN:
            raise TransportError("Twilio is not configured (TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN)", permanent=True)
        sender = {"from_": settings.TWILIO_FROM}
        if settings.TWILIO_MESSAGING_SERVICE_SID:
            sender = {"messaging_service_sid": settings.TWILIO_MESSAGING_SERVICE_SID}
        try:
            message = _client().messages.create(to=to, body=body, status_callback=status_callback, **sender)
        except (TwilioRestException, TwilioServiceException) as exc:
            raise refusal(exc) from exc
        except (requests.RequestException, TwilioException, OSError) as exc:
            raise TransportError(f"network: {exc}"[:300], permanent=False, code="network") from exc
        return message.sid
