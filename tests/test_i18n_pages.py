"""Every page in both languages, with no untranslated interface text (issue 16 item 9).

The pages are the URL conf's parameter-less routes plus every same-site link found on them
(a crawl from the home page on the demo data, as the administrator, who reaches every page).
What counts as untranslated, and how data is told apart: tests/support/i18n_scan.py.
"""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urlsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver

from tests.support.i18n_scan import data_values, english_msgids, untranslated

SKIP = re.compile(
    r"^/(api/|admin/|static/|media/|i18n/|healthz|accounts/logout|favicon)|\.(pdf|csv|xlsx|xml|json|ics)$|/a/"
)
LIMIT = 400


def _plain_routes(patterns=None, prefix="") -> list[str]:
    routes = []
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        text = str(entry.pattern)
        if isinstance(entry, URLResolver):
            if "<" not in text and "(" not in text:
                routes += _plain_routes(entry.url_patterns, prefix + text)
        elif isinstance(entry, URLPattern) and "<" not in text and "(" not in text and "^" not in text:
            routes.append("/" + prefix + text)
    return routes


def _links(html: str) -> list[str]:
    found = []
    for href in re.findall(r'href="([^"]+)"', html):
        path, _ = urldefrag(href)
        parts = urlsplit(path)
        if parts.scheme or parts.netloc or not path.startswith("/"):
            continue
        found.append(parts.path)
    return found


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def _crawl(client) -> dict[str, str]:
    pages, queue = {}, list(dict.fromkeys(["/", *_plain_routes()]))
    while queue and len(pages) < LIMIT:
        path = queue.pop(0)
        if path in pages or SKIP.search(path):
            continue
        response = client.get(path)
        assert response.status_code < 500, f"{path}: {response.status_code}"
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            pages[path] = ""
            continue
        html = response.content.decode()
        pages[path] = html
        queue += [link for link in _links(html) if link not in pages]
    return pages


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_every_page_is_in_the_users_language(client, demo, language):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    msgids = english_msgids()
    pages = _crawl(client)
    data = data_values()
    assert len([p for p in pages.values() if p]) >= 20, sorted(pages)
    problems = {}
    for path, html in pages.items():
        found = untranslated(html, language, msgids, data)
        if found:
            problems[path] = found[:5]
    report = "\n".join(f"{path}: {found}" for path, found in sorted(problems.items()))
    assert not problems, f"{len(problems)} pages with untranslated text ({language}):\n{report}"
