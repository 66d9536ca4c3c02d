"""Refuse to serve production with a configuration that is unsafe in ways the settings module
cannot refuse at import time.

The settings module is also imported by build steps (collectstatic, compilemessages, migrate)
that run with placeholder values, so these checks run when the web server starts
(backend/asgi.py, when DEPLOY_CHECKS_AT_START is set, as in production) and with
`manage.py check --deploy`, not when the settings are read.
"""

from __future__ import annotations

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

ONE_YEAR_SECONDS = 365 * 24 * 3600
# The local SMS sandbox's credentials (deploy/run.sh, backend/alerts/sandbox/server.py).
SANDBOX_SID_PREFIX = "ACsandbox"
SANDBOX_TOKEN_PREFIX = "sandbox"


def problems() -> list[tuple[str, str]]:
    """(check id, message) for each unsafe production setting."""
    found = []
    hosts = [host.strip() for host in settings.ALLOWED_HOSTS if host.strip()]
    if not hosts:
        found.append(("erc.E001", "ALLOWED_HOSTS is empty: set the host names the site is served under."))
    elif "*" in hosts:
        found.append(("erc.E002", "ALLOWED_HOSTS contains '*': list the site's host names instead."))
    if not settings.PUBLIC_BASE_URL.lower().startswith("https://"):
        found.append(
            (
                "erc.E003",
                f"PUBLIC_BASE_URL={settings.PUBLIC_BASE_URL!r} must start with https:// (SMS links, webhooks).",
            )
        )
    sid, token = settings.TWILIO_ACCOUNT_SID or "", settings.TWILIO_AUTH_TOKEN or ""
    if sid.startswith(SANDBOX_SID_PREFIX) or token.startswith(SANDBOX_TOKEN_PREFIX):
        found.append(("erc.E004", "TWILIO_ACCOUNT_SID/TWILIO_AUTH_TOKEN are the local SMS sandbox's: set real ones."))
    if not settings.TWILIO_API_URL.lower().startswith("https://"):
        found.append(("erc.E005", f"TWILIO_API_URL={settings.TWILIO_API_URL!r} must be https:// (not the sandbox)."))
    if (settings.SECURE_HSTS_SECONDS or 0) < ONE_YEAR_SECONDS:
        found.append(("erc.E006", f"SECURE_HSTS_SECONDS must be at least {ONE_YEAR_SECONDS} (one year)."))
    return found


@checks.register(checks.Tags.security, deploy=True)
def check_production(app_configs=None, **kwargs):
    return [checks.Error(message, id=check_id) for check_id, message in problems()]


def refuse_insecure_start() -> None:
    found = problems()
    if found:
        lines = "\n".join(f"  {check_id}: {message}" for check_id, message in found)
        raise ImproperlyConfigured(f"Refusing to serve with an unsafe production configuration:\n{lines}")
