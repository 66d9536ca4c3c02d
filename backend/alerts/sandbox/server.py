"""The development SMS sandbox: a small HTTP server speaking the Twilio Messages API.

`make run` starts it instead of real Twilio (and the tests start it on a free port): the real
`twilio` library, pointed here by TWILIO_API_URL, POSTs to
/2010-04-01/Accounts/{SID}/Messages.json with basic auth; the sandbox answers with
Twilio-shaped JSON, then sends signed status callbacks (sent → delivered) to StatusCallback.
Its page shows each "phone": messages received, a reply box (a signed inbound webhook to
PUBLIC_BASE_URL/twilio/inbound/) and the callbacks it sent. Standard library only.
"""

from __future__ import annotations

import base64
import http.client
import json
import re
import secrets
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from twilio.request_validator import RequestValidator

MESSAGES_PATH = re.compile(r"^/2010-04-01/Accounts/(?P<sid>[^/]+)/Messages\.json$")

# Twilio's documented magic test numbers, answered the way Twilio answers them.
MAGIC_NUMBERS = {
    "+15005550001": (400, 21211, "The 'To' number is not a valid phone number."),
    "+15005550004": (400, 21610, "Attempt to send to unsubscribed recipient"),
    "+15005550009": (400, 21614, "'To' number is not a valid mobile number"),
}


def new_sid(prefix: str = "SM") -> str:
    return prefix + secrets.token_hex(16)


class SmsSandbox:
    """The server and its state. Thread-safe; `start()` serves in a background thread."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        account_sid: str = "ACsandbox",
        auth_token: str = "sandbox-token",
        public_base_url: str = "http://127.0.0.1:8000",
        from_number: str = "+15005550006",
        callback_delay: float = 0.2,
        auto_callbacks: bool = True,
        callback_workers: int = 8,
    ):
        self.account_sid, self.auth_token = account_sid, auth_token
        self.public_base_url = public_base_url.rstrip("/")
        self.from_number = from_number
        self.callback_delay, self.auto_callbacks = callback_delay, auto_callbacks
        self.lock = threading.Lock()
        self.messages: list[dict] = []
        self.callbacks: list[dict] = []
        self.inbound: list[dict] = []
        self.failures: dict[str, list[tuple[int, int | None, str]]] = {}
        self.final_status: dict[str, tuple[str, int | None]] = {}
        self.holds: dict[str, float] = {}
        self.pool = ThreadPoolExecutor(max_workers=callback_workers, thread_name_prefix="sandbox-callback")
        handler = type("Handler", (SandboxHandler,), {"sandbox": self})
        self.httpd = ThreadingHTTPServer((host, port), handler)
        self.httpd.daemon_threads = True
        self.thread: threading.Thread | None = None

    # --- life cycle ----------------------------------------------------------------------
    @property
    def url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> SmsSandbox:
        self.thread = threading.Thread(target=self.httpd.serve_forever, name="sms-sandbox", daemon=True)
        self.thread.start()
        return self

    def serve_forever(self) -> None:
        self.httpd.serve_forever()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.pool.shutdown(wait=False, cancel_futures=True)

    def reset(self) -> None:
        with self.lock:
            self.messages.clear()
            self.callbacks.clear()
            self.inbound.clear()
            self.failures.clear()
            self.final_status.clear()
            self.holds.clear()

    # --- scripting (tests, demos) ------------------------------------------------------
    def fail_next(self, to: str, http_status: int, code: int | None = None, message: str = "error", times: int = 1):
        """The next `times` requests to `to` are answered with this error."""
        with self.lock:
            self.failures.setdefault(to, []).extend([(http_status, code, message)] * times)

    def hold(self, to: str, seconds: float) -> None:
        """Answer requests for `to` only after `seconds` (a slow provider; lets a test kill
        the worker between its claim and the answer)."""
        with self.lock:
            self.holds[to] = seconds

    def deliver_as(self, to: str, status: str, error_code: int | None = None) -> None:
        """Final status reported for messages to `to` (default delivered)."""
        with self.lock:
            self.final_status[to] = (status, error_code)

    def messages_to(self, to: str) -> list[dict]:
        with self.lock:
            return [m for m in self.messages if m["to"] == to]

    def phones(self) -> dict[str, list[dict]]:
        with self.lock:
            phones: dict[str, list[dict]] = {}
            for message in self.messages:
                phones.setdefault(message["to"], []).append(message)
            for reply in self.inbound:
                phones.setdefault(reply["from"], []).append(reply)
            return phones

    # --- the Messages API ----------------------------------------------------------------
    def accept(self, sid: str, auth: tuple[str, str] | None, form: dict[str, str]) -> tuple[int, dict]:
        if auth is None or auth != (self.account_sid, self.auth_token) or sid != self.account_sid:
            return 401, _error(20003, "Authenticate", 401)
        to = form.get("To", "")
        if not to or not (form.get("From") or form.get("MessagingServiceSid")):
            return 400, _error(21604 if not to else 21603, "A 'To' and a 'From' or MessagingServiceSid are required.")
        if not form.get("Body"):
            return 400, _error(21602, "Message body is required.")
        with self.lock:
            scripted = self.failures.get(to)
            failure = scripted.pop(0) if scripted else MAGIC_NUMBERS.get(to)
        now = datetime.now(UTC)
        record = {
            "sid": new_sid(),
            "to": to,
            "from": form.get("From", ""),
            "messaging_service_sid": form.get("MessagingServiceSid") or None,
            "body": form.get("Body", ""),
            "status_callback": form.get("StatusCallback", ""),
            "received_at": now.isoformat(),
            "received_monotonic": time.monotonic(),
            "status": "queued",
            "answer": 201,
            "direction": "in",
        }
        if failure is not None:
            http_status, code, text = failure
            record.update(status="refused", answer=http_status, error_code=code, sid=None)
            with self.lock:
                self.messages.append(record)
            return http_status, _error(code or http_status, text, http_status)
        with self.lock:
            self.messages.append(record)
            hold = self.holds.get(to, 0)
        if hold:
            time.sleep(hold)
        if self.auto_callbacks and record["status_callback"]:
            self.pool.submit(self._progress, record)
        return 201, self._resource(record, now)

    def _resource(self, record: dict, now: datetime) -> dict:
        body = record["body"]
        uri = f"/2010-04-01/Accounts/{self.account_sid}/Messages/{record['sid']}"
        ucs2 = any(ord(ch) > 127 for ch in body)
        per = (70, 67) if ucs2 else (160, 153)
        parts = 1 if len(body) <= per[0] else -(-len(body) // per[1])
        return {
            "account_sid": self.account_sid,
            "api_version": "2010-04-01",
            "body": body,
            "date_created": format_datetime(now),
            "date_sent": None,
            "date_updated": format_datetime(now),
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": record["from"] or None,
            "messaging_service_sid": record["messaging_service_sid"],
            "num_media": "0",
            "num_segments": str(parts),
            "price": None,
            "price_unit": "USD",
            "sid": record["sid"],
            "status": "accepted" if record["messaging_service_sid"] else "queued",
            "subresource_uris": {"media": f"{uri}/Media.json"},
            "to": record["to"],
            "uri": f"{uri}.json",
        }

    def _progress(self, record: dict) -> None:
        """sent, then the final status, like a carrier (after the API answer has gone back)."""
        time.sleep(self.callback_delay)
        self.send_status(record, "sent")
        time.sleep(self.callback_delay)
        with self.lock:
            final, code = self.final_status.get(record["to"], ("delivered", None))
        self.send_status(record, final, code)

    # --- webhooks to the application ---------------------------------------------------
    def _post_signed(self, url: str, params: dict[str, str], keep_alive: bool = False) -> tuple[int, str]:
        signature = RequestValidator(self.auth_token).compute_signature(url, params)
        data = urllib.parse.urlencode(params).encode()
        if keep_alive:
            headers = {
                "X-Twilio-Signature": signature,
                "Content-Type": "application/x-www-form-urlencoded",
                "User-Agent": "TwilioProxy/1.1 (erc sms sandbox)",
            }
            return _post_kept_alive(url, data, headers)
        request = urllib.request.Request(url, data=data, method="POST")
        request.add_header("X-Twilio-Signature", signature)
        request.add_header("Content-Type", "application/x-www-form-urlencoded")
        request.add_header("User-Agent", "TwilioProxy/1.1 (erc sms sandbox)")
        try:
            with urllib.request.urlopen(request, timeout=15) as response:
                return response.status, response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode("utf-8", "replace")
        except OSError as exc:
            return 0, str(exc)

    def send_status(self, record: dict, status: str, error_code: int | None = None) -> int:
        params = {
            "AccountSid": self.account_sid,
            "MessageSid": record["sid"],
            "SmsSid": record["sid"],
            "MessageStatus": status,
            "SmsStatus": status,
            "To": record["to"],
            "From": record["from"] or self.from_number,
            "ApiVersion": "2010-04-01",
        }
        if error_code:
            params["ErrorCode"] = str(error_code)
        for attempt in range(6):
            answer, _ = self._post_signed(record["status_callback"], params, keep_alive=True)
            # 404: an application that has not stored the sid yet (the callback overtook it).
            # ERC answers 200 and keeps the status for the sid; real Twilio never retries.
            if answer not in (0, 404, 429, 500, 502, 503):
                break
            time.sleep(0.25 * 2**attempt)
        with self.lock:
            record["status"] = status
            self.callbacks.append(
                {"sid": record["sid"], "to": record["to"], "status": status, "answer": answer, "at": _now()}
            )
        return answer

    def reply(self, phone: str, body: str) -> dict:
        """A "phone" answers: a signed inbound webhook, as Twilio would post it."""
        sid = new_sid()
        params = {
            "AccountSid": self.account_sid,
            "MessageSid": sid,
            "SmsSid": sid,
            "From": phone,
            "To": self.from_number,
            "Body": body,
            "NumMedia": "0",
            "ApiVersion": "2010-04-01",
        }
        answer, text = self._post_signed(f"{self.public_base_url}/twilio/inbound/", params)
        found = re.search(r"<Message>(.*?)</Message>", text, re.S)
        reply = _unescape(found.group(1)) if found else ""
        entry = {
            "sid": sid,
            "from": phone,
            "body": body,
            "answer": answer,
            "reply": reply,
            "at": _now(),
            "direction": "out",
        }
        with self.lock:
            self.inbound.append(entry)
        return entry


# Status callbacks go over one kept-alive connection per sending thread and application (as a
# carrier's do): urllib opens and closes a TCP connection per request, which in a burst of a
# thousand callbacks cost both this side and the application's server more than the callback.
_kept = threading.local()


def _post_kept_alive(url: str, data: bytes, headers: dict[str, str]) -> tuple[int, str]:
    """POST on this thread's connection to the URL's origin: (status, text), or (0, error) when
    nothing answered. A kept connection the application has since closed (idle, or restarted) is
    replaced once at once; a status callback sent twice changes nothing."""
    parts = urllib.parse.urlsplit(url)
    origin = (parts.scheme, parts.netloc)
    connections = _kept.__dict__.setdefault("by_origin", {})
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    while True:
        connection = connections.pop(origin, None)
        reused = connection is not None
        if connection is None:
            kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
            connection = kind(parts.netloc, timeout=15)
        try:
            connection.request("POST", path, body=data, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError) as exc:
            connection.close()
            if reused:
                continue
            return 0, str(exc)
        except (OSError, http.client.HTTPException) as exc:
            connection.close()
            return 0, str(exc)
        if response.will_close:
            connection.close()
        else:
            connections[origin] = connection
        return response.status, text


class SandboxHandler(BaseHTTPRequestHandler):
    sandbox: SmsSandbox
    server_version = "erc-sms-sandbox/1"
    protocol_version = "HTTP/1.1"
    # One write per answer, sent at once: unbuffered, the headers and the body left in two
    # writes, and Nagle held the body until the client's delayed ACK of the headers, about
    # 40 ms on every request of a keep-alive connection (an alert's sends queued on it).
    wbufsize = 64 * 1024  # handle_one_request flushes it after each answer
    disable_nagle_algorithm = True

    def log_message(self, format, *args):
        pass  # quiet: the page shows the traffic

    def _form(self) -> dict[str, str]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length).decode("utf-8") if length else ""
        return {k: v[-1] for k, v in urllib.parse.parse_qs(raw, keep_blank_values=True).items()}

    def _auth(self) -> tuple[str, str] | None:
        header = self.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return None
        try:
            user, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return None
        return user, password

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, payload) -> None:
        self._send(status, json.dumps(payload, ensure_ascii=False).encode(), "application/json; charset=utf-8")

    def do_POST(self):
        path = urllib.parse.urlsplit(self.path).path
        match = MESSAGES_PATH.match(path)
        if match:
            status, payload = self.sandbox.accept(match["sid"], self._auth(), self._form())
            return self._json(status, payload)
        if path == "/reply":
            form = self._form()
            if form.get("phone") and form.get("body"):
                self.sandbox.reply(form["phone"], form["body"])
            return self._send(303, b"", "text/plain", {"Location": "/#" + urllib.parse.quote(form.get("phone", ""))})
        if path == "/sandbox/reset":
            self.sandbox.reset()
            return self._json(200, {"ok": True})
        return self._json(404, _error(20404, "The requested resource was not found", 404))

    def do_GET(self):
        path = urllib.parse.urlsplit(self.path).path
        if path == "/sandbox/messages.json":
            with self.sandbox.lock:
                payload = {
                    "messages": [
                        {k: v for k, v in m.items() if k != "received_monotonic"} for m in self.sandbox.messages
                    ],
                    "callbacks": list(self.sandbox.callbacks),
                    "inbound": list(self.sandbox.inbound),
                }
            return self._json(200, payload)
        if path == "/sandbox/page.js":
            from .page import SCRIPT

            return self._send(200, SCRIPT.encode(), "text/javascript; charset=utf-8")
        if path == "/":
            from .page import render_page

            return self._send(200, render_page(self.sandbox).encode(), "text/html; charset=utf-8")
        return self._json(404, _error(20404, "The requested resource was not found", 404))


def _error(code: int, message: str, status: int = 400) -> dict:
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
