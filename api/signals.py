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

# Security events that ``risk`` records (risk.recorders), sent synchronously by the
# sender inside its own transaction, so the row exists when the caller goes on and
# the risk and business receivers of that row see it after the same commit.
#
# - ``login_attempted(user, email, successful, failure_reason, source, context)``: a
#   password or code sign-in succeeded or failed; ``user`` is None for an unknown email.
# - ``otp_failed(stage, reason, user, context, attempted_email, details)``: a wrong,
#   expired or dead code at ``stage`` "login" or "transfer".
# - ``staff_action(staff, action, context, details)``: a staff member acted on a
#   customer's user, account or transaction (API.md §7).
login_attempted = Signal()
otp_failed = Signal()
staff_action = Signal()

# --- the money pipeline's own signals (api.models.outbox_records, api.services.transfers) ---

# Outbox events were just committed: api.tasks delivers them inline (OUTBOX_INLINE), or leaves them to the dispatcher.
outbox_committed = Signal()
# ``user, context, reason, details``: a transfer refused before anything was recorded (§5.1 rules 3–6).
transfer_refused = Signal()

# --- logins and sign-ups, delivered from the outbox like the money events (api.events) ---

# ``login_event``: a LoginEvent (risk's row, announced by risk in its own transaction) was
# recorded; the login risk rules and the login metrics run on it, once.
login_recorded = Signal()
# ``user``: a user was created (registration, Google, staff), announced with the row; counted as a sign-up.
user_signed_up = Signal()
