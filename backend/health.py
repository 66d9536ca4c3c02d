"""/healthz: is the database, Redis and at least one Celery worker answering, and is the periodic
work (Celery beat) running?

Used by load balancers and by the duty officer's own check before a drill. 200 when all
answer, 503 otherwise, always JSON with each part's state and how long it took.
"""

from __future__ import annotations

import time

import redis
from django.conf import settings
from django.contrib.auth import get_user
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.authentication import TokenAuthentication
from rest_framework.decorators import api_view, authentication_classes, permission_classes
from rest_framework.exceptions import APIException
from rest_framework.permissions import AllowAny

from backend import periodic
from backend.celery import app as celery_app


def _timed(check):
    started = time.monotonic()
    try:
        detail = check()
        ok = True
    except Exception as exc:  # a health check reports every failure, whatever its kind
        detail = f"{type(exc).__name__}: {exc}"
        ok = False
    return {"ok": ok, "detail": detail, "ms": round((time.monotonic() - started) * 1000, 1)}


def check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT PostGIS_Lib_Version()")
        return f"postgis {cursor.fetchone()[0]}"


def _redis_client(url):
    timeout = settings.HEALTHZ_TIMEOUT_SECONDS
    return redis.Redis.from_url(url, socket_connect_timeout=timeout, socket_timeout=timeout)


def check_redis():
    client = _redis_client(settings.REDIS_URL)
    try:
        client.ping()
        return "pong"
    finally:
        client.close()


def check_celery():
    # Check the broker first with a short timeout: kombu would otherwise keep retrying a
    # dead broker far longer than a health check may take.
    client = _redis_client(settings.CELERY_BROKER_URL)
    try:
        client.ping()
    finally:
        client.close()
    with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        replies = celery_app.control.ping(timeout=settings.HEALTHZ_TIMEOUT_SECONDS, limit=1, connection=conn)
    if not replies:
        raise RuntimeError("no Celery worker answered")
    return sorted(name for reply in replies for name in reply)


def check_beat() -> dict:
    """Beat is judged by the age of the last periodic run (backend/periodic.py), read from Redis."""
    try:
        return periodic.beat_health()
    except Exception as exc:  # Redis down: the redis check says so too
        return {"ok": False, "last_run_age_s": None, "detail": f"{type(exc).__name__}: {exc}"}


def _signed_in(request) -> bool:
    """A session (the middleware's user) or a valid API token. A bad token is not an error
    here: the caller is simply anonymous, as a load balancer is."""
    # DRF has replaced the middleware's user by AnonymousUser (no authenticators here), so the
    # session is read again; the view keeps no authenticators so that a bad token is no 401.
    if get_user(request._request).is_authenticated:
        return True
    try:
        return TokenAuthentication().authenticate(request) is not None
    except APIException:
        return False


def redacted(checks: dict) -> dict:
    """For anonymous callers: every part keeps its key and `ok` flag, but no error text,
    versions or worker host names (they map the installation for an attacker)."""
    return {
        name: {**part, "detail": "ok" if part["ok"] else "unavailable"}
        if isinstance(part, dict) and "detail" in part
        else part
        for name, part in checks.items()
    }


@never_cache
@extend_schema(
    summary="Health: database, Redis, a Celery worker, periodic work (beat)",
    description='200 when the database, Redis and a worker answer, 503 otherwise: {"status": "ok"|"degraded"|'
    '"unavailable", "database"|"redis"|"celery": {"ok", "detail", "ms"}, "beat": {"ok", "last_run_age_s", '
    '"stale_after_s"}}. A stale beat alone (last periodic run older than 3× the shortest beat period) gives 200 '
    'with "status": "degraded", so load balancers keep the server; /healthz/beat answers 503 then. No '
    "authentication; `detail` (error text, versions, worker names) only for signed-in users, "
    '"ok"/"unavailable" for others.',
    responses={200: OpenApiTypes.OBJECT, 503: OpenApiTypes.OBJECT},
    auth=[],
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def healthz(request):
    checks = {"database": _timed(check_database), "redis": _timed(check_redis), "celery": _timed(check_celery)}
    beat = check_beat()
    healthy = all(part["ok"] for part in checks.values())
    status = "unavailable" if not healthy else "ok" if beat["ok"] else "degraded"
    body = {**checks, "beat": beat}
    if not _signed_in(request):
        body = redacted(body)
    return JsonResponse({"status": status, **body}, status=200 if healthy else 503)


@never_cache
@extend_schema(
    summary="Health of the periodic work (beat), for a monitor",
    description="200 when the last periodic run is recent, 503 when it is older than 3× the shortest beat period "
    '(or nothing ran yet): {"ok", "last_run_age_s", "stale_after_s"}. No authentication.',
    responses={200: OpenApiTypes.OBJECT, 503: OpenApiTypes.OBJECT},
    auth=[],
)
@api_view(["GET"])
@authentication_classes([])
@permission_classes([AllowAny])
def healthz_beat(request):
    beat = check_beat()
    if not _signed_in(request):
        beat = redacted({"beat": beat})["beat"]
    return JsonResponse(beat, status=200 if beat["ok"] else 503)
