"""SMS providers behind one interface, so a domestic provider can be added beside Twilio
(Twilio cannot receive replies from mainland numbers; carriers want registered templates)."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from .base import Provider, TransportError

__all__ = ["Provider", "TransportError", "get_provider"]


def get_provider() -> Provider:
    """The configured provider, built at call time so settings changes (tests) take effect."""
    path = getattr(settings, "SMS_PROVIDER", "backend.alerts.providers.twilio.TwilioProvider")
    return import_string(path)()
