"""Settings of the processes the fault suite starts: the test settings, pointed (by the
environment: DATABASE_URL, TEST_REDIS_URL) at the suite's own PostgreSQL and Redis. The short
SMS timings (SMS_SENDING_TIMEOUT_SECONDS, ALERTS_SWEEP_SECONDS) come from the environment too
(cluster.py), so a lost send is resolved within seconds, not minutes."""

from backend.settings.test import *  # noqa: F403
