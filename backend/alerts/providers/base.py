from __future__ import annotations


class TransportError(Exception):
    """A provider refused or could not take a message. `permanent` errors must not be retried
    (an invalid number stays invalid); the others are retried with backoff."""

    def __init__(self, message: str, *, permanent: bool = False, code: str | int | None = None):
        super().__init__(message)
        self.message = message
        self.permanent = permanent
        self.code = "" if code is None else str(code)


class Provider:
    name = "base"

    def send(self, to: str, body: str, status_callback: str) -> str:
        """Hand one message over; return the provider's id for it, or raise TransportError."""
        raise NotImplementedError
