"""Users who acted are deactivated, never deleted.

The incident log names its actor (a PROTECT foreign key in an append-only table), and other
apps keep who did what too. Deleting such a user would either fail deep in the database or
rewrite history; so the directory asks the apps above it, through a registry they fill from
their AppConfig.ready() (`HISTORY_CHECKS`: callables user -> bool), whether the user ever acted,
and refuses with a clear message. The admin and any caller use these two verbs.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction
from django.utils.translation import gettext as _

from backend.domain import DomainRefusal
from backend.registry import Registry

HISTORY_CHECKS: Registry[Callable[[object], bool]] = Registry("user history checks")


def has_acted(user) -> bool:
    return any(check(user) for check in HISTORY_CHECKS.values())


def refusal_message(user) -> str:
    return _("%(user)s has acted in the record (incident logs); deactivate the account instead of deleting it.") % {
        "user": user.get_username()
    }


@transaction.atomic
def delete_user(user) -> None:
    if has_acted(user):
        raise DomainRefusal(refusal_message(user), user=user.pk)
    user.delete()


@transaction.atomic
def deactivate_user(user) -> None:
    """The account can no longer sign in; its name stays on everything it did."""
    user.is_active = False
    user.save(update_fields=["is_active"])
