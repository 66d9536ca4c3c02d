"""Depot managers work a dispatch on screen: the list of dispatches of their depots and one
dispatch's page with its steps (approve, dispatch, deliver, close, cancel), the incident it is
for (code and title through inventory.hooks, inventory never imports incidents), the depot's
duty contact and hours, and what the depot holds reserved for whom.

The steps post plain forms to the same services the API calls; a refusal is shown next to the
button that caused it, in the user's language.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from backend.domain import DomainRefusal, Unserviceable

from . import hooks, permissions, services
from .models import Dispatch, DispatchLot

can_view = permission_required("inventory.view_dispatch", raise_exception=True)
S = Dispatch.Status

# step → (service, permission check, states it applies to, button label)
STEPS = {
    "approve": (services.approve_dispatch, permissions.can_approve, {S.REQUESTED}, gettext_lazy("Approve")),
    "dispatch": (services.dispatch_stock, permissions.can_ship, {S.APPROVED}, gettext_lazy("Send out")),
    "deliver": (services.deliver_dispatch, permissions.can_follow_up, {S.DISPATCHED}, gettext_lazy("Delivered")),
    "close": (services.close_dispatch, permissions.can_follow_up, {S.DELIVERED}, gettext_lazy("Close")),
    "cancel": (
        services.cancel_dispatch,
        permissions.can_follow_up,
        {S.REQUESTED, S.APPROVED},
        gettext_lazy("Cancel"),
    ),
}
OPEN = [S.REQUESTED, S.APPROVED, S.DISPATCHED, S.DELIVERED]
RESERVING = [S.REQUESTED, S.APPROVED]


def _visible(user):
    query = Dispatch.objects.select_related("depot", "depot__manager", "item")
    if permissions.coordinates_all_depots(user):
        return query
    return query.filter(depot__managers=user)


@login_required
@can_view
def dispatch_list(request):
    wanted = request.GET.get("status", "open")
    query = _visible(request.user)
    query = query.filter(status__in=OPEN) if wanted == "open" else query.filter(status=wanted) if wanted else query
    dispatches = list(query[:200])
    labels = hooks.incident_labels(d.incident_id for d in dispatches)
    rows = [{"dispatch": d, "incident": labels.get(d.incident_id)} for d in dispatches]
    statuses = [("open", _("Open")), *S.choices, ("", _("All"))]
    return render(request, "inventory/dispatches.html", {"rows": rows, "statuses": statuses, "wanted": wanted})


def _reserved_at(depot) -> list[dict]:
    """What the depot holds reserved (requested/approved dispatches), and for which incident."""
    lots = (
        DispatchLot.objects.filter(dispatch__depot=depot, dispatch__status__in=RESERVING)
        .select_related("lot", "dispatch", "dispatch__item")
        .order_by("dispatch__requested_at", "pk")
    )
    lots = list(lots)
    labels = hooks.incident_labels(dl.dispatch.incident_id for dl in lots)
    return [{"line": dl, "incident": labels.get(dl.dispatch.incident_id)} for dl in lots]


def _page(request, dispatch, errors=None, status=200):
    steps = [
        {"name": name, "label": label, "allowed": check(request.user, dispatch)}
        for name, (_service, check, states, label) in STEPS.items()
        if dispatch.status in states
    ]
    context = {
        "dispatch": dispatch,
        "incident": hooks.incident_labels([dispatch.incident_id]).get(dispatch.incident_id),
        "lines": list(dispatch.lots.select_related("lot")),
        "steps": steps,
        "errors": errors or {},
        "reserved": _reserved_at(dispatch.depot),
        "history": [
            (_("Requested"), dispatch.requested_at, dispatch.requested_by),
            (_("Approved"), dispatch.approved_at, dispatch.approved_by),
            (_("Dispatched"), dispatch.dispatched_at, dispatch.dispatched_by),
            (_("Delivered"), dispatch.delivered_at, dispatch.delivered_by),
            (_("Closed"), dispatch.closed_at, dispatch.closed_by),
            (_("Cancelled"), dispatch.cancelled_at, dispatch.cancelled_by),
        ],
    }
    return render(request, "inventory/dispatch_detail.html", context, status=status)


@login_required
@can_view
def dispatch_detail(request, pk: int):
    return _page(request, get_object_or_404(_visible(request.user), pk=pk))


def _message(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    if isinstance(exc, DomainRefusal):
        return str(exc.error)
    if isinstance(exc, Unserviceable):
        return exc.detail
    return str(exc)


@login_required
@can_view
@require_POST
def dispatch_step(request, pk: int, step: str):
    dispatch = get_object_or_404(_visible(request.user), pk=pk)
    if step not in STEPS:
        return _page(request, dispatch, {"step": _("Unknown step.")}, status=400)
    service, check, states, _label = STEPS[step]
    if not check(request.user, dispatch):
        raise PermissionDenied(_("You may not take this step on this dispatch."))
    if dispatch.status not in states:
        message = _("This dispatch is %(status)s: it cannot take this step.") % {
            "status": dispatch.get_status_display()
        }
        return _page(request, dispatch, {step: message}, status=409)
    kwargs = {}
    if step == "close":
        try:
            kwargs["returned_quantity"] = Decimal(request.POST.get("returned_quantity") or "0")
        except InvalidOperation:
            return _page(request, dispatch, {step: _("Enter a number.")}, status=400)
    try:
        service(dispatch, actor=request.user, **kwargs)
    except (ValidationError, DomainRefusal, Unserviceable) as exc:
        dispatch.refresh_from_db()
        return _page(request, dispatch, {step: _message(exc)}, status=409)
    messages.success(request, _("Done: %(step)s.") % {"step": STEPS[step][3]})
    return redirect("inventory:dispatch", pk=dispatch.pk)
