"""Settings for bench_sms.py: the test settings without persistent database connections.

Under ASGI each request runs its sync view in its own thread context, so with CONN_MAX_AGE > 0
a burst of status callbacks leaves one idle connection per request for a minute: 400
callbacks exhausted PostgreSQL's 100 connections in the first run of this benchmark. Django's
documentation says to disable persistent connections under ASGI.
"""

from backend.settings.test import *  # noqa: F403
from backend.settings.test import DATABASES

DATABASES["default"]["CONN_MAX_AGE"] = 0
DATABASES["default"]["CONN_HEALTH_CHECKS"] = False
