"""Idempotent creates: an `Idempotency-Key` header makes a POST safe to repeat.

A double click or a retry after a lost answer must not open a second incident (and send every
department a second set of SMS). For one user, one endpoint and one key, kept 24 hours in Redis:

- the first request claims the key (SET NX) with the hash of its body and runs;
- a repeat with the same body gets the first answer again (same status and body), nothing runs;
- a repeat while the first is still running waits for it, then returns its answer;
- a repeat with a different body is refused with 422 {"detail"}, nothing runs.

Only successful (2xx) answers are kept: a refused request frees its key, so the client may
correct the body and retry with the same key. Redis (not the database) holds the keys because a
claim must be visible to the other request before the first one's transaction commits.
"""

from __future__ import annotations

import functools
import hashlib
import json
import time

import redis
from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.response import Response

HEADER = "Idempotency-Key"
KEEP_SECONDS = 24 * 3600
# A claim whose request died (worker killed) is released after this; longer than any create.
RUNNING_SECONDS = 120
MAX_KEY_LENGTH = 200

_client = None


def _redis() -> redis.Redis:
    global _client
    if _client is None:
        _client = redis.Redis.from_url(settings.REDIS_URL)
    return _client


def _fingerprint(request) -> str:
    try:
        body = json.dumps(request.data, sort_keys=True, default=str, ensure_ascii=False)
    except (TypeError, ValueError):
        body = repr(request.data)
    return hashlib.sha256(f"{request.method} {request.path}\n{body}".encode()).hexdigest()


def _slot(request, scope: str, key: str) -> str:
    digest = hashlib.sha256(key.encode()).hexdigest()
    return f"{settings.REDIS_PREFIX}:idempotency:{scope}:{request.user.pk}:{digest}"


def _stored(raw: bytes | None) -> dict | None:
    return json.loads(raw) if raw else None


def _replay(record: dict) -> Response:
    response = Response(record["body"], status=record["status"])
    response["Idempotent-Replayed"] = "true"
    return response


def _mismatch() -> Response:
    return Response(
        {"detail": _("This Idempotency-Key was already used with a different request body.")},
        status=status.HTTP_422_UNPROCESSABLE_ENTITY,
    )


def run_once(request, scope: str, make_response, wait_seconds: float = 30.0) -> Response:
    """Answer `make_response()` at most once per (user, scope, Idempotency-Key) within 24 h."""
    key = request.headers.get(HEADER, "").strip()
    if not key or not request.user.is_authenticated:
        return make_response()
    if len(key) > MAX_KEY_LENGTH:
        return Response({HEADER: [_("At most %d characters.") % MAX_KEY_LENGTH]}, status=400)
    client, slot, fingerprint = _redis(), _slot(request, scope, key), _fingerprint(request)
    deadline = time.monotonic() + wait_seconds
    while True:
        claim = json.dumps({"state": "running", "hash": fingerprint})
        if client.set(slot, claim, nx=True, ex=RUNNING_SECONDS):
            break  # ours: run below
        record = _stored(client.get(slot))
        if record is None:
            continue  # freed between SET and GET: try to claim it again
        if record["hash"] != fingerprint:
            return _mismatch()
        if record["state"] == "done":
            return _replay(record)
        if time.monotonic() > deadline:
            return Response(
                {"error": "idempotency_key_in_use", "detail": _("The first request with this key is still running.")},
                status=status.HTTP_409_CONFLICT,
            )
        time.sleep(0.05)
    try:
        response = make_response()
    except BaseException:
        client.delete(slot)
        raise
    if 200 <= response.status_code < 300:
        done = {"state": "done", "hash": fingerprint, "status": response.status_code, "body": response.data}
        client.set(slot, json.dumps(done, default=str), ex=KEEP_SECONDS)
    else:
        client.delete(slot)
    return response


def idempotent(scope: str):
    """Decorate a DRF view method (self, request, ...) so an Idempotency-Key makes it run once."""

    def wrap(method):
        @functools.wraps(method)
        def inner(self, request, *args, **kwargs):
            return run_once(request, scope, lambda: method(self, request, *args, **kwargs))

        return inner

    return wrap
