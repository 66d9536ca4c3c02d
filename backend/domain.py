"""The domain's refusals, raised by services in every app and known to no transport.

The API turns them into responses (backend/api.py: DomainRefusal → 409 {"error", ...},
Unserviceable → 422 {"detail"}); pages, admin actions and management commands show their
message. They live here, apart from DRF, so services depend on the domain only.
"""

from __future__ import annotations


class DomainRefusal(Exception):
    """A rule of the domain refuses a valid request: 409 {"error": ..., **extra}."""

    status_code = 409

    def __init__(self, error: str, **extra):
        super().__init__(error)
        self.error = error
        self.extra = extra


class Unserviceable(Exception):
    """Valid input the domain cannot serve (e.g. no river near a point): 422 {"detail": ...}."""

    def __init__(self, detail: str):
        super().__init__(detail)
        self.detail = detail
