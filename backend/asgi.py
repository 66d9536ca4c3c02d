"""ASGI entry point: HTTP through Django (except Twilio's status callbacks, answered in front
of it by backend/alerts/status_webhook.py), WebSockets through Channels.

Sockets go through an Origin check (a page from another origin cannot open a socket with the
user's cookies: 403) and the session auth middleware stack. A handshake without an Origin
header comes from a program, not a page (browsers always send one on WebSocket handshakes);
it carries no cookies of a victim and must authenticate with a token, so it is let through.
"""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings.dev")
django_asgi_app = get_asgi_application()

from django.conf import settings  # noqa: E402

if getattr(settings, "DEPLOY_CHECKS_AT_START", False):
    from backend.deploy_checks import refuse_insecure_start

    refuse_insecure_start()  # production: no serving with '*' hosts, http URLs or sandbox SMS

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import OriginValidator  # noqa: E402

from backend.alerts.status_webhook import StatusWebhook  # noqa: E402
from backend.routing import websocket_urlpatterns  # noqa: E402


class ForeignOriginRefused(OriginValidator):
    """Channels' AllowedHostsOriginValidator, except that a missing Origin is not refused."""

    def valid_origin(self, parsed_origin):
        return parsed_origin is None or self.validate_origin(parsed_origin)


def origin_checked(app):
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        allowed = ["localhost", "127.0.0.1", "[::1]"]
    return ForeignOriginRefused(app, allowed)


application = ProtocolTypeRouter(
    {
        # Twilio's status callbacks skip Django's request path (backend/alerts/status_webhook.py).
        "http": StatusWebhook(django_asgi_app),
        "websocket": origin_checked(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
