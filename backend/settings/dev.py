"""Local development and `make run`: convenient defaults, never for production."""

from .base import *  # noqa: F403
from .env import env, env_bool

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY", "") or "dev-only-insecure-key-do-not-use-in-production"

# Serve static files straight from the app folders (no collectstatic step, so `make run` stays
# fast); production collects and compresses them once at deploy time.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
