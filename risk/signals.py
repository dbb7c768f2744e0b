"""Risk's own event: ``incident_raised(incident, customer_notice)``, sent when an incident is recorded.

``risk.response`` answers it (staff alerts, the customer's notice, the optional
automatic freeze), so recording an incident needs no import of what reacts to it.
"""
from django.dispatch import Signal

incident_raised = Signal()
