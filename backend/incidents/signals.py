"""What incidents announce to the apps above them (alerts, drills); incidents imports neither.

event_recorded is sent INSIDE the transaction that wrote the event (sender=Incident;
kwargs: incident, event). A receiver that writes rows (e.g. alerts' Notification rows) thus
commits or rolls back with the change itself; anything that leaves the process (an SMS, a
socket push) must be deferred with transaction.on_commit.

events_recorded follows the event_recorded of each event appended together by record_many
(kwargs: incident, events); those event_recorded carry `batched=True`, so a listener may
handle them one by one or, ignoring the batched ones, all together here (alerts: the tasks
of an opening, one pass per department).
"""

from django.dispatch import Signal

event_recorded = Signal()
events_recorded = Signal()
