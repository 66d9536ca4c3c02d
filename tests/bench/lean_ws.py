"""A lean WebSocket client for fan-out benchmarks: hundreds of sockets per process.

The `websockets` client costs tens of microseconds per received message (frame objects,
UTF-8 decoding, a queue, a task wake-up per recv). At 10,000+ deliveries/s on a 2-core machine
the clients then eat the CPU the server under test needs, and the figures measure the
harness. This client is an asyncio.Protocol that parses frame headers by hand and looks only
for the publish-time marker inside each payload: a few microseconds per message.

It speaks just what the benchmark needs (RFC 6455): the opening handshake with an Origin,
unfragmented text frames, masked client frames, close. No extensions, so no compression.
"""

from __future__ import annotations

import asyncio
import base64
import os
import struct
import time
from urllib.parse import urlsplit

MARKER = b"bench@"


def stamp(at: float | None = None) -> str:
    """The text a publisher sends; the client finds it in any frame that carries it."""
    return f"bench@{time.time() if at is None else at:.6f}@"


def sent_at(payload: bytes) -> float | None:
    i = payload.find(MARKER)
    if i < 0:
        return None
    start = i + len(MARKER)
    return float(payload[start : payload.index(b"@", start)])


def text_frame(text: str) -> bytes:
    """A masked client text frame (the all-zero mask leaves the payload as it is)."""
    data = text.encode()
    n = len(data)
    if n < 126:
        header = struct.pack("!BB", 0x81, 0x80 | n)
    elif n < 65536:
        header = struct.pack("!BBH", 0x81, 0x80 | 126, n)
    else:
        header = struct.pack("!BBQ", 0x81, 0x80 | 127, n)
    return header + b"\x00\x00\x00\x00" + data


class LeanClient(asyncio.Protocol):
    def __init__(self, on_message, on_close=None):
        self.on_message = on_message  # called with (payload bytes, receive time)
        self.on_close = on_close
        self.handshake = asyncio.get_running_loop().create_future()
        self.buffer = b""
        self.upgraded = False
        self.transport = None

    def connection_made(self, transport):
        self.transport = transport

    def data_received(self, data):
        now = time.time()
        buf = self.buffer + data if self.buffer else data
        if not self.upgraded:
            end = buf.find(b"\r\n\r\n")
            if end < 0:
                self.buffer = buf
                return
            status = buf[: buf.find(b"\r\n")]
            if b" 101 " not in status:
                self.handshake.set_exception(ConnectionError(status.decode(errors="replace")))
                self.transport.close()
                return
            self.upgraded = True
            self.handshake.set_result(None)
            buf = buf[end + 4 :]
        pos, size = 0, len(buf)
        while size - pos >= 2:
            opcode, length = buf[pos] & 0x0F, buf[pos + 1] & 0x7F
            head = 2
            if length == 126:
                if size - pos < 4:
                    break
                length, head = struct.unpack_from("!H", buf, pos + 2)[0], 4
            elif length == 127:
                if size - pos < 10:
                    break
                length, head = struct.unpack_from("!Q", buf, pos + 2)[0], 10
            if size - pos < head + length:
                break
            payload = buf[pos + head : pos + head + length]
            pos += head + length
            if opcode == 0x1:
                self.on_message(payload, now)
            elif opcode == 0x8:
                self.transport.close()
                return
            elif opcode == 0x9:  # ping: answer with a masked pong of the same payload
                self.transport.write(struct.pack("!BB", 0x8A, 0x80 | len(payload)) + b"\0\0\0\0" + payload)
        self.buffer = buf[pos:]

    def connection_lost(self, exc):
        if not self.handshake.done():
            self.handshake.set_exception(exc or ConnectionError("closed during the handshake"))
        if self.on_close:
            self.on_close()

    def send_text(self, text: str) -> None:
        self.transport.write(text_frame(text))


async def connect(url: str, on_message, origin: str = "http://127.0.0.1", timeout: float = 120) -> LeanClient:
    parts = urlsplit(url)
    loop = asyncio.get_running_loop()
    _, client = await asyncio.wait_for(
        loop.create_connection(lambda: LeanClient(on_message), parts.hostname, parts.port or 80), timeout
    )
    key = base64.b64encode(os.urandom(16)).decode()
    client.transport.write(
        (
            f"GET {parts.path or '/'} HTTP/1.1\r\nHost: {parts.hostname}:{parts.port}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            f"Sec-WebSocket-Version: 13\r\nOrigin: {origin}\r\n\r\n"
        ).encode()
    )
    await asyncio.wait_for(client.handshake, timeout)
    return client
