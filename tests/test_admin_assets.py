"""Every admin page is served with the app's own assets: bureau intranets are often offline, so
a map widget loaded from a CDN would be a blank box exactly when it is needed."""

from __future__ import annotations

import re

import pytest
from django.contrib import admin
from django.urls import reverse

pytestmark = pytest.mark.django_db

EXTERNAL = re.compile(r"<(?:script|link|img)\b[^>]*\b(?:src|href)=\"(?:https?:)?//", re.IGNORECASE)


def test_no_admin_page_loads_anything_from_another_host(client, django_user_model):
    root = django_user_model.objects.create_superuser("root-assets", password="x-assets-1")
    client.force_login(root)
    checked = 0
    for model in admin.site._registry:
        meta = model._meta
        for name in ("add", "changelist"):
            response = client.get(reverse(f"admin:{meta.app_label}_{meta.model_name}_{name}"))
            if response.status_code == 403:
                continue  # read-only models have no add page
            assert response.status_code == 200, (meta.label, name)
            html = response.content.decode()
            assert not EXTERNAL.search(html), (meta.label, name, EXTERNAL.search(html).group(0))
            checked += 1
    assert checked > 20
