"""Pages of inventory: the dashboard (alerts), depot map and detail, item view, ledger, stocktake,
and the lot actions (write off, consume, transfer) posted from the depot page.

Views read through queries and write through services, like the API.
"""

from __future__ import annotations

from collections import OrderedDict

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import F, Sum
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from backend.domain import DomainRefusal

from . import hooks, permissions, queries, services
from .forms import ConsumeForm, LedgerFilterForm, StocktakeForm, TransferForm, WriteOffForm
from .models import Depot, Dispatch, Item, Lot, Movement

can_view = permission_required("inventory.view_lot", raise_exception=True)


@login_required
@can_view
def dashboard(request):
    open_states = [Dispatch.Status.REQUESTED, Dispatch.Status.APPROVED, Dispatch.Status.DISPATCHED]
    dispatches = list(Dispatch.objects.filter(status__in=open_states).select_related("depot", "item")[:50])
    labels = hooks.incident_labels(d.incident_id for d in dispatches)
    for dispatch in dispatches:
        dispatch.incident_label = labels.get(dispatch.incident_id)
    context = {
        "alerts": queries.stock_alerts(),
        "dispatches": dispatches,
        "depot_count": Depot.objects.filter(active=True).count(),
        "item_count": Item.objects.filter(active=True).count(),
    }
    return render(request, "inventory/dashboard.html", context)


@login_required
@can_view
def depot_map(request):
    summaries = queries.depot_summaries()
    if (get_language() or "").startswith("en"):  # the popups' units in the page's language
        for rows in summaries.values():
            for row in rows:
                row["unit"] = row["unit_en"] or row["unit"]
    depots = [
        {
            "code": d.code,
            "name": d.name,
            "level": d.get_level_display(),
            "level_code": d.level,
            "lon": d.location.x,
            "lat": d.location.y,
            "is_24h": d.is_24h,
            "url": d.get_absolute_url(),
            "stock": summaries.get(d.pk, [])[:12],
            "more": max(0, len(summaries.get(d.pk, [])) - 12),
        }
        for d in queries.active_depots()
    ]
    labels = {"available": _("available"), "open24": _("open 24 hours"), "more": _("more items"), "none": _("no stock")}
    return render(request, "inventory/map.html", {"depots": depots, "labels": labels})


@login_required
@can_view
def depot_detail(request, code: str):
    depot = get_object_or_404(Depot.objects.select_related("department", "manager"), code=code)
    today = timezone.localdate()
    lots = (
        depot.lots.filter(quantity__gt=0).select_related("item").order_by("item__category", "item__code", "expires_on")
    )
    categories: OrderedDict[str, dict] = OrderedDict()
    labels = dict(Item.Category.choices)
    for lot in lots:
        group = categories.setdefault(lot.item.category, {"label": labels[lot.item.category], "items": OrderedDict()})
        entry = group["items"].setdefault(lot.item.code, {"item": lot.item, "lots": [], "on_hand": 0, "available": 0})
        lot.expired = lot.expires_on is not None and lot.expires_on < today
        entry["lots"].append(lot)
        entry["on_hand"] += lot.quantity
        if not lot.expired:
            entry["available"] += lot.available
    # In the order of the resource guide (cut off the source first, monitoring last), not alphabetical.
    categories = OrderedDict((c, categories[c]) for c, _label in Item.Category.choices if c in categories)
    can_handle = permissions.can_handle_stock(request.user, depot)
    context = {
        "depot": depot,
        "categories": categories,
        "minimums": depot.minimums.select_related("item"),
        "can_stocktake": can_handle,
        "can_handle_stock": can_handle,
        "other_depots": Depot.objects.filter(active=True).exclude(pk=depot.pk).order_by("code") if can_handle else [],
        "managers": depot.managers.all(),
    }
    return render(request, "inventory/depot_detail.html", context)


@login_required
@can_view
def item_list(request):
    today = timezone.localdate()
    totals = {
        row["item_id"]: row
        for row in Lot.objects.usable(today)
        .values("item_id")
        .annotate(on_hand=Sum("quantity"), available=Sum(F("quantity") - F("reserved")))
    }
    rows = [{"item": item, **totals.get(item.pk, {"on_hand": 0, "available": 0})} for item in Item.objects.all()]
    return render(request, "inventory/items.html", {"rows": rows})


@login_required
@can_view
def item_detail(request, code: str):
    item = get_object_or_404(Item, code=code)
    today = timezone.localdate()
    per_depot = OrderedDict()
    for lot in item.lots.filter(quantity__gt=0).select_related("depot").order_by("depot__code", "expires_on"):
        entry = per_depot.setdefault(lot.depot.code, {"depot": lot.depot, "lots": [], "on_hand": 0, "available": 0})
        lot.expired = lot.expires_on is not None and lot.expires_on < today
        entry["lots"].append(lot)
        entry["on_hand"] += lot.quantity
        if not lot.expired:
            entry["available"] += lot.available
    return render(request, "inventory/item_detail.html", {"item": item, "depots": per_depot.values()})


@login_required
@permission_required("inventory.view_movement", raise_exception=True)
def ledger(request):
    form = LedgerFilterForm(request.GET or None)
    movements = Movement.objects.select_related("depot", "item", "lot", "actor", "counterpart_depot")
    if form.is_valid():
        movements = form.filter(movements)
    page = Paginator(movements, 100).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "inventory/ledger.html", {"form": form, "page": page, "query": query.urlencode()})


@login_required
@can_view
def stocktake(request, code: str):
    depot = get_object_or_404(Depot, code=code)
    if not permissions.can_handle_stock(request.user, depot):
        raise PermissionDenied
    lots = list(depot.lots.select_related("item").order_by("item__category", "item__code", "expires_on", "code"))
    form = StocktakeForm(request.POST or None, lots=lots)
    if request.method == "POST" and form.is_valid():
        changed = _record_stocktake(form, request.user)
        if changed is not None:
            messages.success(request, _("Stocktake recorded: %(n)d lot(s) adjusted.") % {"n": changed})
            return redirect("inventory:depot", code=depot.code)
    return render(request, "inventory/stocktake.html", {"depot": depot, "form": form})


class _Rollback(Exception):
    pass


def _record_stocktake(form, user) -> int | None:
    """One stocktake, one transaction: every counted line is adjusted, or none is (errors are
    put on the lines that caused them). Returns the number of lots adjusted, None on errors."""
    changed = 0
    try:
        with transaction.atomic():
            for lot, counted in form.counts():
                try:
                    moved = services.adjust(lot=lot, counted=counted, reason=form.cleaned_data["reason"], actor=user)
                except ValidationError as exc:
                    form.add_error(form.field_name(lot), exc.messages)
                except DomainRefusal as exc:
                    form.add_error(form.field_name(lot), exc.error)
                else:
                    changed += moved is not None
            if form.errors:
                raise _Rollback
    except _Rollback:
        return None
    return changed


# --- lot actions (forms on the depot page) --------------------------------------------------


def _write_off(lot, data, user):
    services.write_off(lot=lot, quantity=data["quantity"], reason=data["reason"], actor=user)
    return _("Wrote off %(quantity)s %(unit)s of lot %(lot)s.")


def _consume(lot, data, user):
    services.consume(
        lot=lot, quantity=data["quantity"], reason=data["reason"], incident_id=data["incident"], actor=user
    )
    return _("Recorded %(quantity)s %(unit)s of lot %(lot)s as consumed.")


def _transfer(lot, data, user):
    services.transfer(lot=lot, to_depot=data["to_depot"], quantity=data["quantity"], reason=data["reason"], actor=user)
    return _("Transferred %(quantity)s %(unit)s of lot %(lot)s to %(depot)s.")


LOT_ACTIONS = {
    "write-off": (WriteOffForm, _write_off),
    "consume": (ConsumeForm, _consume),
    "transfer": (TransferForm, _transfer),
}


def _errors_text(form, errors: dict[str, list[str]]) -> str:
    """Field errors (of the form or of the service) as one line, each after its field's label."""
    return " ".join(
        f"{form.fields[name].label}: {message}" if name in form.fields else message
        for name, messages_ in errors.items()
        for message in messages_
    )


@login_required
@can_view
@require_POST
def lot_action(request, pk: int, action: str):
    """Write off, consume or transfer units of one lot, then back to the depot page with a message
    (a refusal is shown there too; the service writes all of it or nothing)."""
    lot = get_object_or_404(Lot.objects.select_related("depot", "item"), pk=pk)
    if not permissions.can_handle_stock(request.user, lot.depot):
        raise PermissionDenied
    form_class, verb = LOT_ACTIONS[action]
    form = form_class(request.POST)
    refused = _("Lot %(lot)s: %(error)s")
    if not form.is_valid():
        messages.error(request, refused % {"lot": lot.code, "error": _errors_text(form, form.errors)})
    else:
        try:
            done = verb(lot, form.cleaned_data, request.user)
        except ValidationError as exc:
            errors = exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
            messages.error(request, refused % {"lot": lot.code, "error": _errors_text(form, errors)})
        except DomainRefusal as exc:
            messages.error(request, refused % {"lot": lot.code, "error": exc.error})
        else:
            data = form.cleaned_data
            to_depot = data.get("to_depot")
            facts = {
                "quantity": f"{data['quantity'].normalize():f}",
                "unit": lot.item.local_unit(),
                "lot": lot.code,
                "depot": to_depot.name if to_depot else "",
            }
            messages.success(request, done % facts)
    return redirect(f"{lot.depot.get_absolute_url()}#lot-{lot.pk}")
