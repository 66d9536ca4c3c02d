"""Production refuses to start serving with '*' or no ALLOWED_HOSTS, an http:// PUBLIC_BASE_URL
or the SMS sandbox's Twilio credentials; build steps (collectstatic) still run; HSTS one year
(issue #12, item 9). Each case runs the real settings in a subprocess, as the server would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "SECRET_KEY": "k" * 20 + "-production-secret-" + "z" * 20,
    "ALLOWED_HOSTS": "hb.example.gov.cn",
    "PUBLIC_BASE_URL": "https://hb.example.gov.cn",
    "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "TWILIO_AUTH_TOKEN": "f" * 32,
    "TWILIO_API_URL": "https://api.twilio.com",
}
SCRUB = {"DEBUG", "DJANGO_SETTINGS_MODULE", "SECURE_HSTS_SECONDS", *GOOD}


def run(code: str | None = None, args: list[str] | None = None, **env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in SCRUB}
    clean.update({"DJANGO_SETTINGS_MODULE": "backend.settings.production", **GOOD, **env})
    command = [sys.executable, *(["-c", code] if code else args)]
    return subprocess.run(command, cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120)


def start_server(**env) -> subprocess.CompletedProcess:
    # What uvicorn does first: import the ASGI application.
    return run("import backend.asgi; print('serving')", **env)


def test_a_safe_configuration_starts_with_one_year_of_hsts():
    result = start_server()
    assert result.returncode == 0, result.stderr
    assert "serving" in result.stdout
    hsts = run("import django; django.setup(); from django.conf import settings; print(settings.SECURE_HSTS_SECONDS)")
    assert hsts.stdout.strip() == "31536000"


@pytest.mark.parametrize(
    ("env", "fragment"),
    [
        ({"ALLOWED_HOSTS": "*"}, "ALLOWED_HOSTS contains '*'"),
        ({"ALLOWED_HOSTS": "hb.example.gov.cn,*"}, "ALLOWED_HOSTS contains '*'"),
        ({"ALLOWED_HOSTS": " , "}, "ALLOWED_HOSTS is empty"),
        ({"PUBLIC_BASE_URL": "http://hb.example.gov.cn"}, "must start with https://"),
        # deploy/run.sh's sandbox credentials
        (
            {"TWILIO_ACCOUNT_SID": "ACsandbox00000000000000000000000", "TWILIO_AUTH_TOKEN": "sandbox-auth-token"},
            "sandbox",
        ),
        ({"TWILIO_AUTH_TOKEN": "sandbox-token"}, "sandbox"),
        ({"TWILIO_API_URL": "http://127.0.0.1:8026"}, "TWILIO_API_URL"),
        ({"SECURE_HSTS_SECONDS": "3600"}, "SECURE_HSTS_SECONDS"),
    ],
)
def test_the_server_refuses_an_unsafe_configuration(env, fragment):
    result = start_server(**env)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "Refusing to serve" in result.stderr
    assert fragment in result.stderr


def test_check_deploy_names_every_problem():
    result = run(args=["manage.py", "check", "--deploy"], ALLOWED_HOSTS="*", PUBLIC_BASE_URL="http://x")
    assert result.returncode != 0
    assert "erc.E002" in result.stderr and "erc.E003" in result.stderr


def test_build_steps_still_run_with_placeholder_settings():
    # The Dockerfile collects static files with a throw-away key and no real hosts or Twilio.
    result = run(
        args=["manage.py", "collectstatic", "--no-input", "--dry-run", "-v", "0"],
        ALLOWED_HOSTS="*",
        PUBLIC_BASE_URL="http://build",
        TWILIO_ACCOUNT_SID="",
        TWILIO_AUTH_TOKEN="",
    )
    assert result.returncode == 0, result.stderr
