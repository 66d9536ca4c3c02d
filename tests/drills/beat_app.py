"""The project's Celery app with the drills.tick beat entry every second, for the beat test.

In production the entry lives in settings.CELERY_BEAT_SCHEDULE (every 5 s); the test runs
its own beat with a faster clock so that offsets of seconds can be checked."""

from backend.celery import app

app.conf.beat_schedule = {"drills.tick": {"task": "drills.tick", "schedule": 1.0, "options": {"expires": 2}}}
