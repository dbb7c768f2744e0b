"""Committed money events, delivered from the outbox after the database commit (never inside locks).

Receivers (notifications, WebSocket pushes, risk rules, metrics) run inside
the delivering transaction (``api.events``): their database writes commit
with the event's delivery, and a receiver that raises makes the event
retried later, so each receiver must give the same result when an event is
delivered again after a failure (its earlier writes were rolled back).

- ``transfer_created(transaction)``: a new INTERNAL/EXTERNAL transfer was
  recorded, whatever its status (SUCCESS, PENDING_OTP, or FAILED for
  insufficient funds). The transaction risk rules run on this, once.
- ``transaction_completed(transaction)``: a transaction of any kind reached
  SUCCESS or FAILED (at creation, at OTP confirmation or at expiry).
- ``transaction_reversed(transaction)``: staff reversed a SUCCESS transaction.
- ``bill_payment_completed(bill_payment)``: a bill payment was recorded
  (PAID or FAILED).
"""
from django.dispatch import Signal

transfer_created = Signal()
transaction_completed = Signal()
transaction_reversed = Signal()
bill_payment_completed = Signal()


# --- the money pipeline's own signals (api.models.outbox_records, api.services.transfers) ---

# ``ids``: outbox events just committed; api.tasks delivers them inline or wakes the outbox worker.
outbox_committed = Signal()
# ``user, context, reason, details``: a transfer refused before anything was recorded (§5.1 rules 3–6).
transfer_refused = Signal()
# ``user, context, reason, transaction_id``: a wrong, expired or dead transfer confirmation code.
transfer_code_failed = Signal()
