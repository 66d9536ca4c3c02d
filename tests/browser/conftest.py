"""Headless Chromium (Debian's package) driven by Playwright's Python API.

Never downloads a browser. Playwright's sync API runs an event loop in this thread, so the
ORM calls made by fixtures need DJANGO_ALLOW_ASYNC_UNSAFE (docs/operations.md, "Traps"); the Playwright
instance is module-scoped because a session-scoped one breaks later asyncio tests.
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="erc-chromium-")
    old = {name: os.environ.get(name) for name in ("XDG_CONFIG_HOME", "XDG_CACHE_HOME", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    os.environ.update({"XDG_CONFIG_HOME": profile, "XDG_CACHE_HOME": profile, "DJANGO_ALLOW_ASYNC_UNSAFE": "true"})
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
            yield browser
            browser.close()
    finally:
        for name, value in old.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(profile, ignore_errors=True)
