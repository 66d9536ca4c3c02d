"""python manage.py sms_sandbox --port 8026: the local Twilio-speaking SMS sandbox."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand

from backend.alerts.sandbox.server import SmsSandbox


class Command(BaseCommand):
    help = "Run the development SMS sandbox (a local server speaking Twilio's Messages API)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8026)
        parser.add_argument("--callback-delay", type=float, default=0.5, help="seconds between status callbacks")

    def handle(self, *args, host, port, callback_delay, **options):
        sandbox = SmsSandbox(
            host=host,
            port=port,
            account_sid=settings.TWILIO_ACCOUNT_SID or "ACsandbox",
            auth_token=settings.TWILIO_AUTH_TOKEN or "sandbox-token",
            public_base_url=settings.PUBLIC_BASE_URL,
            from_number=settings.TWILIO_FROM or "+15005550006",
            callback_delay=callback_delay,
        )
        self.stdout.write(f"SMS sandbox on {sandbox.url}/ (callbacks and replies to {sandbox.public_base_url})")
        try:
            sandbox.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            sandbox.stop()
