"""One SMS rate limit shared by every worker process: a token bucket in Redis.

Celery's own rate_limit is per worker (docs/operations.md, "Traps"), so four workers at 10/s would send 40/s.
The bucket's state (tokens, last refill time) lives in one Redis hash updated atomically by a
Lua script, using Redis's clock so that workers on different machines agree.
"""

from __future__ import annotations

import time

import redis
from django.conf import settings

_SCRIPT = """
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or capacity
local at = tonumber(state[2]) or now
tokens = math.min(capacity, tokens + math.max(0, now - at) * rate)
local wait = 0
if tokens >= 1 then
  tokens = tokens - 1
else
  wait = (1 - tokens) / rate
end
redis.call('HSET', KEYS[1], 'tokens', tostring(tokens), 'at', tostring(now))
redis.call('EXPIRE', KEYS[1], 3600)
return tostring(wait)
"""

_client = None
_script = None


def _redis():
    global _client, _script
    if _client is None:
        _client = redis.Redis.from_url(settings.REDIS_URL)
        _script = _client.register_script(_SCRIPT)
    return _client, _script


def rate() -> float:
    return float(getattr(settings, "SMS_RATE_PER_SECOND", 0) or 0)


def try_acquire(per_second: float | None = None) -> float:
    """Take one token: return 0 when taken, else the seconds until one will be free."""
    per_second = rate() if per_second is None else per_second
    if per_second <= 0:
        return 0.0  # no limit configured
    _, script = _redis()
    # A burst of one second's worth: a fresh bucket lets the first alerts out at once.
    capacity = max(1.0, per_second)
    key = f"{settings.REDIS_PREFIX}:alerts:sms-bucket"
    return float(script(keys=[key], args=[per_second, capacity]))


def acquire(max_wait: float = 30.0) -> bool:
    """Block (briefly) until a token is ours; False when it would take longer than max_wait,
    so the caller re-queues instead of holding a worker."""
    deadline = time.monotonic() + max_wait
    while True:
        wait = try_acquire()
        if wait <= 0:
            return True
        if time.monotonic() + wait > deadline:
            return False
        time.sleep(min(wait, 1.0))
