"""What inventory announces. Upper apps subscribe (incidents puts dispatch steps on the
incident's timeline, alerts sends the stock digest by SMS); inventory never imports them.

One timing for every announcement between apps (docs/architecture.md, "Announcements"):
inside the transaction that caused it. A receiver's writes (the incident's timeline entry)
commit or roll back with the step, so a crash can never keep the step and lose its entry;
anything that leaves the process (an SMS, a socket push) the receiver defers with
transaction.on_commit. stock_alerts_computed follows the same rule: it is sent inside the
transaction of services.announce_stock_alerts (robustly: a digest reports, it changes no stock).
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
    """Send robustly, for announcements that report rather than change (the stock digest): a
    failing listener is logged with its traceback and the others still hear."""
    for receiver, result in signal.send_robust(sender=sender, **kwargs):
        if isinstance(result, Exception):
            log.error("inventory signal receiver %r failed", receiver, exc_info=result)
