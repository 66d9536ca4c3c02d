"""What inventory announces. Upper apps subscribe (incidents puts dispatch steps on the
incident's timeline, alerts sends the stock digest by SMS); inventory never imports them.

Both signals are sent after the transaction commits, so a receiver never sees a step that
was rolled back.
"""

import logging

from django.dispatch import Signal

log = logging.getLogger(__name__)

# sender=Dispatch; kwargs: dispatch (Dispatch), step (str: requested, approved, dispatched,
# delivered, closed, cancelled), actor (User or None), data (dict, JSON-ready: dispatch id,
# incident id, depot and item codes, quantities, lots).
dispatch_changed = Signal()

# sender=None; kwargs: digest (dict, JSON-ready, see services.alerts.stock_alerts), on (date).
stock_alerts_computed = Signal()


def announce(signal: Signal, sender, **kwargs) -> None:
    """Send after commit, robustly: the step has happened and the caller must hear so even if
    a listener fails (the failure is logged with its traceback, not turned into a 500)."""
    for receiver, result in signal.send_robust(sender=sender, **kwargs):
        if isinstance(result, Exception):
            log.error("inventory signal receiver %r failed", receiver, exc_info=result)
