"""Settings of the processes the fault suite starts: the test settings, pointed (by the
environment: DATABASE_URL, TEST_REDIS_URL) at the suite's own PostgreSQL and Redis, with the
periodic SMS work shortened so a lost send is resolved within seconds, not minutes."""

from backend.settings.env import env_int
from backend.settings.test import *  # noqa: F403
from backend.settings.test import CELERY_BEAT_SCHEDULE

# The sweep (stale claims → unknown, lost queue messages → sent) every CHAOS_SWEEP_SECONDS.
CHAOS_SWEEP_SECONDS = env_int("CHAOS_SWEEP_SECONDS", 2)
CELERY_BEAT_SCHEDULE = {
    **CELERY_BEAT_SCHEDULE,
    "alerts.sweep": {**CELERY_BEAT_SCHEDULE["alerts.sweep"], "schedule": float(CHAOS_SWEEP_SECONDS)},
}
# Beat refuses entries whose time_limit is below the global soft limit (issue 11).
CELERY_TASK_SOFT_TIME_LIMIT = 50
CELERY_TASK_TIME_LIMIT = 60
