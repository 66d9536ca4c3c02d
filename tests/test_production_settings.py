"""Production settings refuse to start with an insecure configuration."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GOOD_KEY = "k" * 20 + "-production-secret-" + "z" * 20


def start_production(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DEBUG", "DJANGO_SETTINGS_MODULE"}}
    clean.update({"DJANGO_SETTINGS_MODULE": "backend.settings.production", **env})
    code = "import django; django.setup(); from django.conf import settings; print('DEBUG', settings.DEBUG)"
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=60)


def test_it_starts_with_a_secure_configuration():
    result = start_production(SECRET_KEY=GOOD_KEY)
    assert result.returncode == 0, result.stderr
    assert "DEBUG False" in result.stdout


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({}, "SECRET_KEY must be set in production"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY is too short"),
        ({"SECRET_KEY": GOOD_KEY, "DEBUG": "true"}, "DEBUG must be off in production"),
        ({"SECRET_KEY": GOOD_KEY, "SESSION_COOKIE_SECURE": "false"}, "must be true in production"),
        ({"SECRET_KEY": GOOD_KEY, "CSRF_COOKIE_SECURE": "0"}, "must be true in production"),
        ({"SECRET_KEY": GOOD_KEY, "DEBUG": "perhaps"}, "is not a boolean"),
    ],
)
def test_it_refuses_an_insecure_configuration(env, message):
    result = start_production(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_it_reads_secrets_from_files(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(GOOD_KEY + "\n")
    result = start_production(SECRET_KEY_FILE=str(secret))
    assert result.returncode == 0, result.stderr
