"""Production: no defaults for secrets, and refuse to start with an insecure configuration."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEBUG, SECRET_KEY
from .env import env_bool, env_int

if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set in production.")
if len(SECRET_KEY) < 32 or "insecure" in SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY is too short or a development key; use 50 random characters.")
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production.")

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
if not (SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE):
    raise ImproperlyConfigured(
        "SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE must be true in production (cookies over HTTPS only)."
    )
SESSION_COOKIE_HTTPONLY = True
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST", True)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
# One year (browsers' preload lists ask for it); backend/deploy_checks.py refuses less.
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_CONTENT_TYPE_NOSNIFF = True

# The web server refuses to start with ALLOWED_HOSTS of '*' or empty, an http:// PUBLIC_BASE_URL
# or the SMS sandbox's credentials (backend/deploy_checks.py; checked in backend/asgi.py, so
# build steps such as collectstatic, which import these settings, still run).
DEPLOY_CHECKS_AT_START = True
