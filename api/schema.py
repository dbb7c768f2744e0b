"""Summaries, descriptions and examples of the banking operations (nexus/schema.py reads them)."""
from nexus.schema import Doc, error_example, request_example, response_example

ACCOUNT = {
    "account_number": "412345678901", "mask": "********8901", "type": "Savings", "currency": "JOD",
    "balance": "1000.00", "display_balance": {"currency": "JOD", "amount": "1000.00"}, "is_active": True,
    "maximum_withdrawal_amount": "10000.00", "daily_limit": "50000.00", "card_count": 0,
    "created_at": "2026-11-30T09:00:00+03:00", "updated_at": "2026-11-30T09:00:00+03:00",
}
TRANSFER = {
    "id": 55, "kind": "EXTERNAL", "status": "SUCCESS", "amount": "100.00", "fee_amount": "1.00", "currency": "JOD",
    "credited_amount": "141.00", "credited_currency": "USD", "sender_account_number": "412345678901",
    "receiver_account_number": "598765432109", "sender_balance_after": "899.00", "receiver_balance_after": None,
    "idempotency_key": "rent-2026-11", "failure_reason": None, "otp_expires_at": None,
    "created_at": "2026-11-30T09:05:00+03:00",
}
INTERNAL = {
    **TRANSFER, "id": 54, "kind": "INTERNAL", "amount": "200.00", "fee_amount": "0.00", "credited_amount": "262.00",
    "credited_currency": "EUR", "receiver_account_number": "712345678902", "sender_balance_after": "800.00",
    "receiver_balance_after": "262.00", "idempotency_key": None,
}
PENDING = {
    **TRANSFER, "id": 56, "status": "PENDING_OTP", "amount": "750.00", "fee_amount": "7.50", "credited_amount": "1057.50",
    "sender_balance_after": None, "otp_expires_at": "2026-11-30T09:15:00+03:00",
}
DEPOSIT = {
    **TRANSFER, "id": 53, "kind": "DEPOSIT", "amount": "1000.00", "fee_amount": "0.00", "credited_amount": "1000.00",
    "credited_currency": "JOD", "sender_account_number": None, "receiver_account_number": "412345678901",
    "sender_balance_after": None, "receiver_balance_after": "1000.00", "idempotency_key": None,
}
TOKENS = {"access": "eyJhbGciOiJIUzI1NiIs…", "refresh": "eyJhbGciOiJIUzI1NiIs…"}
USER = {
    "id": 12, "email": "ann@example.com", "first_name": "Ann", "last_name": "Lee", "country": "JO", "is_staff": False,
    "is_active": True, "is_online": True, "date_joined": "2026-11-30T08:55:00+03:00",
    "last_login": "2026-11-30T09:00:00+03:00",
}
BILL = {
    "id": 7, "account": "412345678901", "biller": 1, "biller_name": "Jordan Electric Power", "reference_number": "EL-99812",
    "amount": "35.00", "currency": "JOD", "biller_amount": "35.00", "biller_currency": "JOD", "status": "PAID",
    "transaction_id": 57, "created_at": "2026-11-30T09:20:00+03:00",
}
CARD = {
    "id": 3, "account_number": "412345678901", "card_type": "DEBIT", "last4": "4821", "expiration_date": "2031-11-30",
    "is_active": True, "created_at": "2026-11-30T09:02:00+03:00",
}
NOTIFICATION = {
    "id": 91, "message": "Sent 100.00 JOD to ********2109", "notification_type": "TRANSACTION", "is_read": False,
    "related_transaction": 55, "created_at": "2026-11-30T09:05:00+03:00",
}
NOT_FOUND = error_example("not_found", "Not found.", status=404)
INSUFFICIENT = error_example(
    "insufficient_funds", "Insufficient funds.", transaction_id=58, errors={"non_field_errors": ["Insufficient funds."]}
)
TRANSFER_RULES = (
    "Checked in order: amount > 0 with two decimals at most; the sender is the caller's; sender and receiver "
    "differ (`same_account`); neither is frozen (`account_frozen`); amount ≤ 10,000.00 (`limit_exceeded`); "
    "today's outgoing total + amount ≤ 50,000.00 (`daily_limit_exceeded`); balance ≥ amount + fee "
    "(`insufficient_funds`, which records a FAILED transaction). Amounts over 500.00 answer 202 `PENDING_OTP` "
    "and email a code for `POST /api/transfers/confirm/`. Same `idempotency_key` and payload → 200 with the "
    "original; same key, other payload → 409 `idempotency_conflict`. See docs/api.md."
)
ACCOUNTS_GET = Doc(
    "List my accounts",
    "The caller's accounts, newest first. Filters `type`, `currency`; `ordering=balance|-balance|created_at|-created_at`.",
    (response_example("accounts", ACCOUNT),),
)
ACCOUNTS_POST = Doc(
    "Open an account",
    "Opens an account at 0.00. `type` is `Savings`, `Salary`, `Basic` (JOD by default), `USD` or `EUR` (their "
    "own currency only); `currency` is optional. Balance, number, owner and state in the request are ignored.",
    (
        request_example("JOD savings", {"type": "Savings"}),
        request_example("USD account", {"type": "USD", "currency": "USD"}),
        response_example("opened", {**ACCOUNT, "balance": "0.00", "display_balance": {"currency": "JOD", "amount": "0.00"}}, 201),
        error_example("validation_error", "A EUR account must be in EUR.",
                      errors={"currency": ["A EUR account must be in EUR."]}),
    ),
)
USER_DOCS = {
    "GET": Doc("Read a user", "Staff read any user; a customer only themselves (any other id is 404)."),
    "PUT": Doc("Replace a user's names and country", "`first_name`, `last_name`, `country`; the rest is read-only."),
    "PATCH": Doc("Change a user's names or country", "`first_name`, `last_name`, `country`; the rest is read-only."),
    "DELETE": Doc(
        "Delete a user",
        "djoser's delete (needs `current_password`). A user whose accounts have ledger entries cannot be deleted "
        "(409 `has_ledger_history`): staff block instead.",
    ),
}

OPERATIONS = {
    # --- auth ----------------------------------------------------------------------------
    ("POST", "/auth/users/"): Doc(
        "Register",
        "Creates an active user at once (no activation). The password passes Django's validators; every field "
        "at fault is reported in one 400.",
        (
            request_example("register", {
                "email": "ann@example.com", "password": "Pl3nty-of-entropy", "re_password": "Pl3nty-of-entropy",
                "first_name": "Ann", "last_name": "Lee", "country": "JO",
            }),
            response_example("registered", {"id": 12, "email": "ann@example.com", "first_name": "Ann",
                                            "last_name": "Lee", "country": "JO"}, 201),
            error_example("validation_error", "email: A user with this email already exists.", errors={
                "email": ["A user with this email already exists."],
                "password": ["This password is too common."],
                "re_password": ["The two password fields didn't match."],
            }),
        ),
    ),
    ("GET", "/auth/users/"): Doc(
        "List users", "Staff: every user. A customer: a page with only themselves.", (response_example("users", USER),)
    ),
    ("GET", "/auth/users/me/"): Doc("Read me", "The caller's own user.", (response_example("me", USER),)),
    ("PUT", "/auth/users/me/"): Doc("Replace my names and country", "`first_name`, `last_name`, `country`."),
    ("PATCH", "/auth/users/me/"): Doc(
        "Change my names or country", "`first_name`, `last_name`, `country`; the rest is read-only.",
        (request_example("new country", {"country": "AE"}),),
    ),
    ("DELETE", "/auth/users/me/"): USER_DOCS["DELETE"],
    **{(method, "/auth/users/{id}/"): doc for method, doc in USER_DOCS.items()},
    ("POST", "/auth/login/init/"): Doc(
        "Log in, step 1: password",
        "Checks the password and emails a 6-digit code (under `make run` it is printed in the server console as "
        "`LOGIN CODE for <email>: <code>`). Wrong password, unknown email and blocked user all answer the same "
        "401 `invalid_credentials`. After `AXES_FAILURE_LIMIT` failures from one IP: 429 `locked_out` for an "
        "hour. Throttled with `/auth/login/verify/` at `THROTTLE_LOGIN` per IP.",
        (
            request_example("password", {"email": "ann@example.com", "password": "Pl3nty-of-entropy"}),
            response_example("code sent", {"detail": "Verification code sent."}),
            error_example("invalid_credentials", "Invalid email or password.", status=401),
            error_example("locked_out", "Too many failed login attempts. Try again later.", status=429),
        ),
    ),
    ("POST", "/auth/login/verify/"): Doc(
        "Log in, step 2: the emailed code",
        "Trades the code for a token pair. A code lives 5 minutes, works once and allows 3 wrong tries; a newer "
        "`init` voids older codes.",
        (
            request_example("code", {"email": "ann@example.com", "code": "042917"}),
            response_example("tokens", TOKENS),
            error_example("invalid_otp", "Invalid verification code.", attempts_left=2,
                          errors={"code": ["Invalid verification code."]}),
            error_example("otp_expired", "The verification code has expired."),
        ),
    ),
    ("POST", "/auth/jwt/refresh/"): Doc(
        "Refresh tokens",
        "Rotates the pair; the refresh token sent is blacklisted (using it again is 401). Access tokens live "
        "`ACCESS_TOKEN_LIFETIME_MINUTES` (60), refresh tokens `REFRESH_TOKEN_LIFETIME_DAYS` (7).",
        (
            request_example("refresh", {"refresh": "eyJhbGciOiJIUzI1NiIs…"}),
            response_example("rotated", TOKENS),
            error_example("token_not_valid", "Token is expired", status=401),
        ),
    ),
    ("POST", "/auth/logout/"): Doc(
        "Log out",
        "Ends the calling login session: its access and refresh tokens are refused from now on, and its "
        "WebSockets close with 4001. Other devices stay signed in.",
        (request_example("logout", {"refresh": "eyJhbGciOiJIUzI1NiIs…"}), response_example("done", {"detail": "Logged out."})),
    ),
    ("GET", "/auth/social/complete/"): Doc(
        "Google sign-in: hand-off",
        "The end of the allauth Google flow (`/accounts/google/login/`): redirects to "
        "`{FRONTEND_URL}/auth/social/success#code=<one-time code>`, never with tokens in the URL.",
    ),
    ("POST", "/auth/social/token/"): Doc(
        "Google sign-in: trade the one-time code",
        "The code from the hand-off, once, within 60 seconds.",
        (request_example("code", {"code": "p8Hc2…"}), response_example("tokens", TOKENS)),
    ),
    # --- accounts and cards --------------------------------------------------------------
    ("GET", "/api/accounts/"): ACCOUNTS_GET,
    ("POST", "/api/accounts/"): ACCOUNTS_POST,
    ("GET", "/api/accounts"): ACCOUNTS_GET,
    ("POST", "/api/accounts"): ACCOUNTS_POST,
    ("GET", "/api/accounts/{account_number}/"): Doc(
        "Read one of my accounts", "Another user's or an unknown number is 404.",
        (response_example("account", ACCOUNT), NOT_FOUND),
    ),
    ("GET", "/api/accounts/{account_number}/transactions/"): Doc(
        "Account statement",
        "Every transaction touching the account (sent, received, deposits, bills, reversals), newest first. "
        "Filters `status`, `kind`, `date_from`, `date_to`.",
        (response_example("statement", TRANSFER),),
    ),
    ("GET", "/api/accounts/{account_number}/cards/"): Doc(
        "List an account's cards", "Never the card number or CVV.", (response_example("cards", CARD),)
    ),
    ("POST", "/api/accounts/{account_number}/cards/"): Doc(
        "Issue a card", "`card_type` `DEBIT` (default) or `CREDIT`; valid five years.",
        (request_example("debit", {"card_type": "DEBIT"}), response_example("card", CARD, 201)),
    ),
    ("GET", "/api/cards/{id}/"): Doc("Read a card", "Another user's card is 404.", (response_example("card", CARD),)),
    ("PATCH", "/api/cards/{id}/"): Doc(
        "Freeze or unfreeze a card", "`is_active`: false freezes the card.",
        (request_example("freeze", {"is_active": False}), response_example("frozen", {**CARD, "is_active": False})),
    ),
    ("DELETE", "/api/cards/{id}/"): Doc("Delete a card", "204; another user's card is 404."),
    # --- transfers -----------------------------------------------------------------------
    ("GET", "/api/transfers/internal/"): Doc(
        "List my internal transfers",
        "Transfers between the caller's own accounts, newest first. Filters `status`, `account_number`, "
        "`date_from`, `date_to`.",
        (response_example("transfers", INTERNAL),),
    ),
    ("POST", "/api/transfers/internal/"): Doc(
        "Transfer between my accounts",
        "Both accounts are the caller's (`sender_account`, `receiver_account`). No fee; a cross-currency amount "
        "is converted at the fixed rates, rounded down (docs/money.md). " + TRANSFER_RULES,
        (
            request_example("JOD to EUR", {"sender_account": "412345678901", "receiver_account": "712345678902",
                                           "amount": "200.00"}),
            response_example("done", INTERNAL, 201),
            response_example("needs the emailed code", {**PENDING, "kind": "INTERNAL", "fee_amount": "0.00"}, 202),
            INSUFFICIENT,
            error_example("same_account", "Sender and receiver accounts must differ."),
        ),
    ),
    ("GET", "/api/transfers/external/"): Doc(
        "List my external transfers",
        "Transfers the caller sent to other customers, newest first. Filters `status`, `account_number`, "
        "`date_from`, `date_to`.",
        (response_example("transfers", TRANSFER),),
    ),
    ("POST", "/api/transfers/external/"): Doc(
        "Send money to another customer",
        "`receiver_account_number` is another customer's active account; an unknown or bank account gets one "
        "message (`Receiver account not found.`), one of the caller's own accounts a message pointing to the "
        "internal transfer. Fee: 1% of `amount`, half-up, in the sender's currency, on top of `amount`. "
        + TRANSFER_RULES,
        (
            request_example("100 JOD", {"sender_account": "412345678901", "receiver_account_number": "598765432109",
                                        "amount": "100.00", "idempotency_key": "rent-2026-11"}),
            response_example("done", TRANSFER, 201),
            response_example("needs the emailed code", PENDING, 202),
            response_example("idempotent replay", TRANSFER, 200),
            INSUFFICIENT,
            error_example("validation_error", "Receiver account not found.",
                          errors={"receiver_account_number": ["Receiver account not found."]}),
            error_example("idempotency_conflict", "This idempotency key was already used with a different request.",
                          status=409),
        ),
    ),
    ("POST", "/api/transfers/confirm/"): Doc(
        "Confirm a transfer with the emailed code",
        "For a `PENDING_OTP` transfer (over 500.00). The code lives 5 minutes; the third wrong try fails the "
        "transfer (`otp_locked`); an expired code fails it (`otp_expired`); the rules are checked again. "
        "Throttled at `THROTTLE_TRANSFER_CONFIRM` per user.",
        (
            request_example("confirm", {"transaction_id": 56, "otp_code": "731204"}),
            response_example("executed", {**PENDING, "status": "SUCCESS", "sender_balance_after": "142.50",
                                          "otp_expires_at": None}),
            error_example("invalid_otp", "Invalid verification code.", attempts_left=2,
                          errors={"otp_code": ["Invalid verification code."]}),
            error_example("invalid_state", "This transfer is not awaiting confirmation."),
        ),
    ),
    ("GET", "/api/transfers/{id}/"): Doc(
        "Read a transfer", "Any transaction the caller sent or received; anyone else's is 404.",
        (response_example("transfer", TRANSFER), NOT_FOUND),
    ),
    # --- bills ---------------------------------------------------------------------------
    ("GET", "/api/billers/"): Doc(
        "List billers", "By name, each with its fixed amount in JOD.",
        (response_example("billers", {"id": 1, "name": "Jordan Electric Power", "category": "Electricity",
                                       "description": "Monthly electricity", "fixed_amount": "35.00",
                                       "currency": "JOD"}),),
    ),
    ("GET", "/api/bill/"): Doc("List my bill payments", "Newest first.", (response_example("payments", BILL),)),
    ("POST", "/api/bill/"): Doc(
        "Pay a bill",
        "The account pays the biller's fixed amount, converted when the account holds another currency (rounded "
        "up, docs/money.md). No code step; frozen accounts, the daily limit and the balance are checked. "
        "Insufficient funds records a FAILED payment. `idempotency_key` as for transfers.",
        (
            request_example("electricity", {"account": "412345678901", "biller": 1, "reference_number": "EL-99812"}),
            response_example("paid", BILL, 201),
            INSUFFICIENT,
        ),
    ),
    ("GET", "/api/bill/{id}/"): Doc(
        "Read a bill payment", "Another user's payment is 404; payments cannot be changed (405).",
        (response_example("payment", BILL),),
    ),
    # --- notifications -------------------------------------------------------------------
    ("GET", "/api/notifications/"): Doc(
        "List my notifications", "Newest first; `unread_only=true`, `type=TRANSACTION|SECURITY|ADMIN_ALERT|BILL_PAYMENT`.",
        (response_example("notifications", NOTIFICATION),),
    ),
    ("POST", "/api/notifications/{id}/read/"): Doc(
        "Mark a notification read", "Another user's id is 404.", (response_example("read", {**NOTIFICATION, "is_read": True}),)
    ),
    ("PATCH", "/api/notifications/{id}/read/"): Doc("Mark a notification read", "Same as POST."),
    ("POST", "/api/notifications/read-all/"): Doc(
        "Mark all my notifications read", "Answers how many changed.", (response_example("updated", {"updated": 4}),)
    ),
    # --- staff -----------------------------------------------------------------------------
    ("POST", "/api/admin/users/{id}/block/"): Doc(
        "Block a user",
        "Inactive at once; every token issued so far is refused and open WebSockets close with 4001. Audited as "
        "incident `Admin Action: BLOCK_USER`. Already blocked: 400 `invalid_state`.",
        (response_example("blocked", {"detail": "User blocked.", "tokens_revoked": 2}),),
    ),
    ("POST", "/api/admin/users/{id}/unblock/"): Doc(
        "Unblock a user", "Old tokens stay revoked: the user logs in again. Already active: 400 `invalid_state`."
    ),
    ("POST", "/api/admin/users/{id}/terminate-session/"): Doc(
        "End every session of a user", "Every token is refused at once; the user may log in again.",
        (response_example("ended", {"detail": "All sessions of the user were terminated.", "tokens_revoked": 2}),),
    ),
    ("GET", "/api/admin/accounts/"): Doc(
        "List customer accounts", "Every customer account with its `owner`; filters `user`, `currency`, `is_active`."
    ),
    ("POST", "/api/admin/accounts/{account_number}/freeze/"): Doc(
        "Freeze an account", "A frozen account can neither send nor receive (`account_frozen`)."
    ),
    ("POST", "/api/admin/accounts/{account_number}/unfreeze/"): Doc("Unfreeze an account", "Wrong state: 400 `invalid_state`."),
    ("POST", "/api/admin/accounts/{account_number}/deposit/"): Doc(
        "Deposit into an account",
        "Money from the bank's treasury account of the account's currency, 0 < amount ≤ 1,000,000.00. Frozen: 400 "
        "`account_frozen`. Audited as `Admin Action: DEPOSIT`.",
        (
            request_example("deposit", {"amount": "1000.00", "description": "Opening deposit"}),
            response_example("deposited", DEPOSIT, 201),
        ),
    ),
    ("GET", "/api/admin/transactions/"): Doc(
        "List all transactions", "Filters `status`, `kind`, `user`, `account_number`, `date_from`, `date_to`."
    ),
    ("POST", "/api/admin/transactions/{id}/reverse/"): Doc(
        "Reverse a transaction",
        "Only a SUCCESS transaction: posts the exact opposite ledger entries (fee and FX unwound) and marks it "
        "REVERSED. The receiver's balance too low: 400 `insufficient_funds`, nothing changes.",
        (
            request_example("reverse", {"reason": "Customer dispute"}),
            response_example("reversed", {**TRANSFER, "status": "REVERSED"}),
        ),
    ),
    ("GET", "/api/admin/ledger/verify/"): Doc(
        "Verify the ledger",
        "Every currency sums to zero, every balance equals its entries, no customer balance is negative, every "
        "transaction balances.",
        (response_example("ok", {"ok": True, "currencies": [{"currency": "JOD", "entries_total": "0.00", "balanced": True}],
                                 "accounts_checked": 42, "mismatched_accounts": [], "negative_customer_balances": [],
                                 "unbalanced_transactions": []}),),
    ),
    # --- platform --------------------------------------------------------------------------
    ("GET", "/api/health/"): Doc(
        "Health", "Liveness and database reachability; 503 when the database does not answer.",
        (response_example("ok", {"status": "ok", "database": "ok"}),),
    ),
}
