"""Whether a supply dispatch for an incident moves real stock.

A drill dispatch is simulated (no ledger movement) unless the drill is marked as a live stock
exercise. Inventory and incidents may not import drills, so this check is offered for them to
call through a hook list (the same pattern as incidents.permissions.exercise_*_checks); see the
drills report to the lead for the hook it needs.
"""

from __future__ import annotations

from backend.incidents.models import Incident

from .models import Drill


def dispatch_is_simulated(incident_id: int | None) -> bool:
    if incident_id is None:
        return False
    if not Incident.objects.filter(pk=incident_id, exercise=True).exists():
        return False
    # An exercise incident that no drill owns (opened by hand with exercise=true) is simulated too.
    return not Drill.objects.filter(incident_id=incident_id, live_stock_exercise=True).exists()
