"""The test suite: its own Redis database number, Celery queue and channel prefix, so a
`make run` on the same machine never steals the tests' work (and vice versa)."""

from .base import *  # noqa: F403
from .base import CHANNEL_LAYERS, DATABASES
from .env import env

SECRET_KEY = "test-only-secret-key"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]

# Each concurrent run (CI, a developer, a helper) can pick its own names.
_suffix = env("ERC_TEST_SUFFIX", "")
DATABASES["default"]["TEST"] = {"NAME": f"test_erc{_suffix}"}
REDIS_URL = env("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
REDIS_PREFIX = f"erc-test{_suffix}"

CHANNEL_LAYERS = {
    "default": {
        **CHANNEL_LAYERS["default"],
        "CONFIG": {**CHANNEL_LAYERS["default"]["CONFIG"], "hosts": [REDIS_URL], "prefix": f"{REDIS_PREFIX}:asgi"},
    }
}
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": f"{REDIS_PREFIX}:cache",
    }
}
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_DEFAULT_QUEUE = f"{REDIS_PREFIX}.default"
CELERY_BROKER_TRANSPORT_OPTIONS = {"global_keyprefix": f"{REDIS_PREFIX}:celery:"}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"global_keyprefix": f"{REDIS_PREFIX}:celery:"}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# The ASGI server started by browser and socket tests serves static files from the app
# folders, as `make run` does (no collectstatic in the test run).
WHITENOISE_USE_FINDERS = True

# --- Security (issue #12): lockout and throttles off; their own tests switch them on -------
# (every suite logs in and calls the API many times from 127.0.0.1)
LOGIN_FAILURE_LIMIT = 0
API_THROTTLE_ANON = ""
API_THROTTLE_USER = ""
# Server and worker processes outlive the tests' table flushes: re-read content types per
# request and task, or audit entries would point at flushed ids (backend/audit/freshness.py).
AUDIT_REFRESH_CONTENT_TYPES = True
