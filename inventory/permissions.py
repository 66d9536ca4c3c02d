"""Who may do what with supplies (API and pages alike).

Django permissions say what a role may do at all (roles.ROLE_PERMISSIONS); the depot binding
says where: a depot manager acts only on the depots whose `managers` include them, while the
duty office (duty officers, administrators) coordinates every depot. Sending stock out of a
depot is the depot's own act (a depot manager bound to it, or an administrator).
"""

from __future__ import annotations

from backend.directory.roles import ADMINISTRATOR, DUTY_OFFICER, has_role

from .models import Depot, Dispatch


def is_administrator(user) -> bool:
    return user.is_superuser or has_role(user, ADMINISTRATOR)


def coordinates_all_depots(user) -> bool:
    return is_administrator(user) or has_role(user, DUTY_OFFICER)


def manages(user, depot: Depot) -> bool:
    return user.is_authenticated and depot.managers.filter(pk=user.pk).exists()


def _on(user, perm: str, depot: Depot) -> bool:
    return user.has_perm(f"inventory.{perm}") and (coordinates_all_depots(user) or manages(user, depot))


def can_handle_stock(user, depot: Depot) -> bool:
    """Receive, stocktake, write off, consume, transfer out of `depot`."""
    return _on(user, "add_movement", depot)


def can_request_dispatch(user, depot: Depot) -> bool:
    return _on(user, "add_dispatch", depot)


def can_approve(user, dispatch: Dispatch) -> bool:
    return _on(user, "approve_dispatch", dispatch.depot)


def can_ship(user, dispatch: Dispatch) -> bool:
    return user.has_perm("inventory.ship_dispatch") and (is_administrator(user) or manages(user, dispatch.depot))


def can_follow_up(user, dispatch: Dispatch) -> bool:
    """Deliver, close, cancel."""
    return _on(user, "change_dispatch", dispatch.depot)


def can_edit_depot(user, depot: Depot) -> bool:
    return _on(user, "change_depot", depot)
