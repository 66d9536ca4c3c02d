"""The SMS sandbox as its own process, made slow: every request to the Messages API is answered
only after --hold seconds (a slow provider), so the suite can kill a worker mid-send. The sandbox
keeps every request it received (GET /sandbox/messages.json): a message that reached the
provider twice shows up twice."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.chaos.settings")

import django

django.setup()

from django.conf import settings  # noqa: E402

from backend.alerts.sandbox.server import SmsSandbox  # noqa: E402


class SlowSandbox(SmsSandbox):
    hold_seconds = 0.0

    def accept(self, sid, auth, form):
        if form.get("To"):
            with self.lock:
                self.holds.setdefault(form["To"], self.hold_seconds)
        return super().accept(sid, auth, form)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--hold", type=float, default=0.0)
    args = parser.parse_args()
    SlowSandbox.hold_seconds = args.hold
    sandbox = SlowSandbox(
        port=args.port,
        account_sid=settings.TWILIO_ACCOUNT_SID,
        auth_token=settings.TWILIO_AUTH_TOKEN,
        public_base_url=settings.PUBLIC_BASE_URL,
        from_number=settings.TWILIO_FROM,
        callback_delay=0.2,
    )
    print(f"sandbox on {sandbox.url}", flush=True)
    sandbox.serve_forever()
