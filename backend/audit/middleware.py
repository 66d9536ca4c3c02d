"""The actor of each audit entry: the request's user, also when DRF authenticated it by token.

auditlog's own middleware reads request.user when the request arrives, before DRF's token
authentication has run (an API call by token would be recorded without actor), and takes the
client address from X-Forwarded-For whoever sent it. Here the actor is looked up when an entry
is written, and the address is the one the login lockout uses (TRUSTED_PROXIES)."""

from __future__ import annotations

from auditlog.middleware import AuditlogMiddleware
from django.utils.functional import SimpleLazyObject

from backend.directory.client_address import client_address


class _NoActor:
    pass


def _actor(request):
    user = getattr(request, "user", None)
    # A lazy object whose class is not the user model is ignored by auditlog.
    return user if user is not None and user.is_authenticated else _NoActor()


class AuditActorMiddleware(AuditlogMiddleware):
    @staticmethod
    def _get_remote_addr(request):
        return client_address(request)

    def get_extra_data(self, request):
        data = super().get_extra_data(request)
        data["actor"] = SimpleLazyObject(lambda: _actor(request))
        return data
