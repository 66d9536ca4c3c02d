"""What incidents announce to the apps above them (alerts, drills); incidents imports neither.

event_recorded is sent INSIDE the transaction that wrote the event (sender=Incident;
kwargs: incident, event). A receiver that writes rows (e.g. alerts' Notification rows) thus
commits or rolls back with the change itself; anything that leaves the process (an SMS, a
socket push) must be deferred with transaction.on_commit.
"""

from django.dispatch import Signal

event_recorded = Signal()
