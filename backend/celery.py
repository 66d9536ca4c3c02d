"""The Celery application: configured from Django settings (CELERY_ prefix), JSON only."""

import os

from celery import Celery
from celery.signals import beat_init, task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.dev")

app = Celery("backend")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect(dispatch_uid="backend.periodic.record_run")
def _record_periodic_run(sender=None, **kwargs):
    from backend import periodic

    periodic.record_run(sender.name)


@beat_init.connect(dispatch_uid="backend.checks.beat_schedule")
def _refuse_a_schedule_celery_would_refuse(sender=None, **kwargs):
    """Beat starts only with entries it can send (backend/checks.py): a bad entry would otherwise
    be skipped with a log line on every tick, and silence would never escalate."""
    from django.core import checks

    errors = [e for e in checks.run_checks(tags=["celery"]) if e.is_serious()]
    if errors:
        raise SystemExit("Celery beat refuses to start:\n" + "\n".join(f"  {e.id}: {e.msg}" for e in errors))
