"""API tokens that expire: older than API_TOKEN_TTL_HOURS they are refused with 401.

DRF's tokens live for ever; a token copied off a laptop years ago would still work. A token's
age is counted from its creation (`Token.created`); POST /api/auth/token/ hands out a new one
when the user's token has expired, and POST /api/auth/token/rotate/ replaces it at any time
(the old key is refused at once). Sockets authenticate with the same rule (user_for_key).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import AuthenticationFailed


def oldest_valid_creation():
    """Tokens created before this moment have expired (None: tokens never expire)."""
    hours = settings.API_TOKEN_TTL_HOURS
    return timezone.now() - timedelta(hours=hours) if hours > 0 else None


def is_expired(token: Token) -> bool:
    cutoff = oldest_valid_creation()
    return cutoff is not None and token.created < cutoff


def valid_tokens():
    query = Token.objects.filter(user__is_active=True)
    cutoff = oldest_valid_creation()
    return query if cutoff is None else query.filter(created__gte=cutoff)


def user_for_key(key) -> object | None:
    """The active user of a valid, unexpired token key, or None."""
    if not isinstance(key, str) or not key:
        return None
    token = valid_tokens().select_related("user").filter(key=key[:40]).first()
    return token.user if token else None


def key_is_valid(key: str) -> bool:
    return valid_tokens().filter(key=key).exists()


@transaction.atomic
def token_for(user) -> Token:
    """The user's current token; a new one when there is none or it has expired."""
    token = Token.objects.select_for_update().filter(user=user).first()
    if token is not None and is_expired(token):
        token.delete()
        token = None
    return token or Token.objects.create(user=user)


@transaction.atomic
def rotate(user) -> Token:
    """Replace the user's token: the old key stops working now."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)


class ExpiringTokenAuthentication(TokenAuthentication):
    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if is_expired(token):
            raise AuthenticationFailed(_("Token has expired; ask for a new one."))
        return user, token
