"""Test runs only (AUDIT_REFRESH_CONTENT_TYPES): forget cached content-type ids per request and
per Celery task.

Transactional tests flush every table, django_content_type included, and the content types
come back with new ids; a long-lived server or worker process started for the test session
still holds the old ids in ContentType's cache, and its next audit entry then fails its
foreign key at commit, taking the audited change down with it. In a deployment content types
are never deleted, so the cache is left alone there."""

from __future__ import annotations

from celery.signals import task_prerun
from django.contrib.contenttypes.models import ContentType
from django.core.signals import request_started


def _forget(**kwargs):
    ContentType.objects.clear_cache()


def connect() -> None:
    request_started.connect(_forget, dispatch_uid="audit.fresh_content_types.request")
    task_prerun.connect(_forget, dispatch_uid="audit.fresh_content_types.task", weak=False)
