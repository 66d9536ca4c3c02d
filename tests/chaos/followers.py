"""Load for the fault scenarios: sockets that follow one incident through anything (reconnect
and resume after the last seq seen, as the board's live.js does), and a writer of notes."""

from __future__ import annotations

import json
import threading
import time

import httpx
from websockets.sync.client import connect


class Follower(threading.Thread):
    """Keeps every event frame's seq, in arrival order; reconnects and resumes after failures."""

    def __init__(self, base_url: str, token: str, incident: int):
        super().__init__(daemon=True)
        self.url = base_url.replace("http://", "ws://") + f"/ws/incidents/{incident}/"
        self.token, self.seqs, self.reconnects = token, [], 0
        self.stopping = threading.Event()
        self.last_frame_at = 0.0

    def run(self) -> None:
        while not self.stopping.is_set():
            try:
                with connect(self.url, compression=None, open_timeout=5, close_timeout=1) as sock:
                    sock.send(json.dumps({"type": "auth", "token": self.token}))
                    sock.send(json.dumps({"type": "resume", "after": self.seqs[-1] if self.seqs else 0}))
                    while not self.stopping.is_set():
                        try:
                            message = json.loads(sock.recv(timeout=0.5))
                        except TimeoutError:
                            continue
                        if message.get("type") == "event":
                            self.seqs.append(message["seq"])
                            self.last_frame_at = time.monotonic()
            except Exception:
                self.reconnects += 1
                time.sleep(0.2)

    def has(self, last_seq: int) -> bool:
        return bool(self.seqs) and self.seqs[-1] >= last_seq


class NoteWriter(threading.Thread):
    """POSTs a note every `period` seconds; failures (server down) are counted, not retried."""

    def __init__(self, base_url: str, token: str, incident: int, period: float = 0.2):
        super().__init__(daemon=True)
        self.url = f"{base_url}/api/incidents/{incident}/notes/"
        self.headers = {"Authorization": f"Token {token}"}
        self.period, self.written, self.failed = period, 0, 0
        self.stopping = threading.Event()

    def run(self) -> None:
        with httpx.Client(timeout=3, headers=self.headers) as client:
            n = 0
            while not self.stopping.is_set():
                n += 1
                try:
                    client.post(self.url, json={"text": f"现场记录 {n}"}).raise_for_status()
                    self.written += 1
                except httpx.HTTPError:
                    self.failed += 1
                time.sleep(self.period)
