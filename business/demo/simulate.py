"""A deterministic simulation of demo customers, written in bulk with the API's own arithmetic and rules.

Every amount comes from ``api.money`` (quotes, conversions, fees, commissions)
and every movement posts the legs built by ``api.money``; every decision comes
from ``api.movement_rules``, the functions the services' checks raise from:
frozen accounts, the per-transfer and daily limits (rule 6 on a running total
of the day's SUCCESS outgoing amounts, as the API sums it), sufficient funds,
which refusals leave a FAILED row (only insufficient funds) and which leave
nothing, the transfer's kind from who owns the receiver, and whether a
reversal is possible. Events of a day are processed in time order against
in-memory balances, so ``*_balance_after`` snapshots are the true running
balances, no customer balance goes negative, and each account's balance equals
the sum of its entries. Nothing is dated after the moment the seed runs, and a
customer logs in (a login event) before moving money on a day. The tests
(business/tests/test_demo_seed.py) replay a seed through the services and find
every decision, amount and balance the same.

Why not ``Transaction.execute`` for every movement: measured on SQLite on the
2-core machine, execute alone costs ≈1.2 CPU-ms per transfer even with no
commit and no outbox delivery, so the default seed's ≈35,500 movements would
take ≈43 CPU-s where the whole command takes ≈6.5 (about 7 times, far over the
2x allowed); execute also stamps every row with the real clock and writes an
outbox event per movement, whose delivery (risk rules, notifications, metrics)
the seed does not want for months of history. So the seeder shares the rules,
not the pipeline; the replay test is what keeps them the same.
"""
import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db.models import F
from django.utils import timezone

from api import money
from api import movement_rules as rules
from api.models import Account, Biller, BillPayment, LedgerEntry, Transaction, UserProfile
from api.models.choices import AccountType, BillStatus, Currency, TransactionKind, TransactionStatus
from api.services.ledger import system_account_number
from business.metrics.days import days
from risk.models import Incident, LoginEvent

from .reset import DEMO_DOMAIN
from .writer import RawTable, reset_sequences

DEMO_PASSWORD = "Nexus-Demo-2026"  # noqa: S105 - printed on purpose, demo only
STAFF_EMAIL = f"staff@{DEMO_DOMAIN}"
COUNTRIES = (("JO", 60), ("AE", 25), ("SA", 15))
CURRENCIES = ((Currency.JOD, 70), (Currency.USD, 20), (Currency.EUR, 10))
TYPE_FOR_CURRENCY = {Currency.JOD: AccountType.SAVINGS, Currency.USD: AccountType.USD, Currency.EUR: AccountType.EUR}
FIRST_NAMES = ("Lina", "Omar", "Sara", "Khaled", "Noor", "Yousef", "Rania", "Ali", "Huda", "Zaid", "Maya", "Fadi")
LAST_NAMES = ("Haddad", "Nasser", "Khalil", "Saleh", "Odeh", "Mansour", "Qasem", "Hijazi", "Darwish", "Aziz")
INCIDENT_KINDS = (
    ("failed_login", "Failed login attempt", "low"),
    ("brute_force", "Brute-force suspected on account", "high"),
    ("credential_stuffing", "Credential stuffing suspected", "high"),
    ("impossible_travel", "Impossible travel between logins", "high"),
    ("unusual_hour", "Login at an unusual hour", "low"),
    ("rapid_transfers", "Rapid succession of transfers", "medium"),
    ("large_transaction", "Unusually large transaction", "medium"),
)
BATCH = 2000


@dataclass
class Options:
    start: object
    end: object
    users: int = 50
    seed: int = 42
    initial_share: float = 0.4  # customers who already bank with us on the first day
    active_account_share: float = 0.35  # accounts that move money on a given day
    transfers_per_active_account: tuple = (10, 20)
    cross_currency_share: tuple = (0.15, 0.25)
    bill_share: float = 0.30
    reversal_share: float = 0.004
    failed_logins_per_day: tuple = (2, 8)
    incidents_per_day: tuple = (0, 3)


@dataclass
class Stats:
    users: int = 0
    accounts: int = 0
    transactions: int = 0
    transfers: int = 0
    failed: int = 0
    bills: int = 0
    reversals: int = 0
    logins: int = 0
    incidents: int = 0
    refused: int = 0  # attempts the API would refuse without a record (rules 4-6, reversals): no row


@dataclass
class Refused:
    """An attempt the rules refused without a record, as the API would have received it (tests replay these)."""

    moment: object
    action: str  # "create" or "reverse"
    row: dict  # the transaction's fields; "before_id": the id the next written transaction got
    code: str


@contextmanager
def explicit_timestamps(*models):
    """Let bulk_create keep the simulated created/updated times instead of ``now``."""
    fields = [f for m in models for f in m._meta.concrete_fields if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]
    saved = [(f, f.auto_now, f.auto_now_add) for f in fields]
    for f in fields:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, now, now_add in saved:
            f.auto_now, f.auto_now_add = now, now_add


def _weighted(rng, pairs):
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def _money(rng, low, high):
    return Decimal(rng.randint(int(low * 100), int(high * 100))) / 100


class DemoSeeder:
    def __init__(self, options, log=print):
        self.o = options
        self.rng = random.Random(options.seed)  # noqa: S311 - seeded, repeatable demo data
        self.log = log
        self.stats = Stats()
        self.balances = {}  # account number -> Decimal (every account we touch)
        self.currency_of = {}
        self.owner_of = {}
        self.active = {}  # account number -> is_active (rule 4)
        self.role_of = {}  # the bank's account number -> system role (which may go negative)
        self.outgoing = {}  # account number -> (day, rule 6's SUCCESS outgoing total that day)
        self.refusals = []
        self.day_txns, self.day_entries, self.day_bills = [], [], []
        self.system = system_account_number
        self.now = timezone.now()  # nothing is written after it

    # --- setup -------------------------------------------------------------------

    def _time(self, day, start_hour=7, end_hour=22):
        """A moment of ``day`` between the hours; today, only before now (even before ``start_hour``)."""
        midnight = timezone.make_aware(datetime.combine(day, time.min))
        latest = min(end_hour * 3600 + 3599, int((self.now - midnight).total_seconds()) - 1)
        seconds = self.rng.randint(max(0, min(start_hour * 3600, latest)), max(0, latest))
        return midnight + timedelta(seconds=seconds)

    def _before_now(self, moment):
        return min(moment, self.now)

    def create_people(self):
        User = get_user_model()
        password = make_password(DEMO_PASSWORD)  # hashed once: every demo customer shares the printed password
        first = timezone.make_aware(datetime.combine(self.o.start, time(8)))
        self.staff = User(email=STAFF_EMAIL, first_name="Demo", last_name="Analyst", country="JO", is_staff=True,
                          password=password, date_joined=first - timedelta(days=1))
        span = max(0, (min(self.o.end, timezone.localdate(self.now)) - self.o.start).days)
        customers = []
        for i in range(self.o.users):
            joined_day = self.o.start if self.rng.random() < self.o.initial_share else self.o.start + timedelta(days=self.rng.randint(0, span))
            customers.append(
                User(
                    email=f"customer{i + 1:03d}@{DEMO_DOMAIN}",
                    first_name=self.rng.choice(FIRST_NAMES),
                    last_name=self.rng.choice(LAST_NAMES),
                    country=_weighted(self.rng, COUNTRIES),
                    password=password,
                    date_joined=self._time(joined_day, 8, 20),
                )
            )
        created = User.objects.bulk_create([self.staff, *customers], batch_size=BATCH)
        self.staff, self.customers = created[0], sorted(created[1:], key=lambda u: u.email)
        UserProfile.objects.bulk_create(
            [UserProfile(user=u, first_name=u.first_name, last_name=u.last_name) for u in created], batch_size=BATCH
        )
        self.stats.users = len(customers)

    def _number(self, taken):
        while True:
            number = str(self.rng.randint(1, 8)) + f"{self.rng.randint(0, 10**11 - 1):011d}"
            if number not in taken:
                taken.add(number)
                return number

    def create_accounts(self):
        taken = set(Account.objects.values_list("pk", flat=True))
        accounts = []
        for index, user in enumerate(self.customers):
            currencies = [_weighted(self.rng, CURRENCIES)]
            if index < 3:
                currencies = [Currency.values[index]]  # every currency is held from the start
            if self.rng.random() < 0.5:
                currencies.append(_weighted(self.rng, [c for c in CURRENCIES if c[0] != currencies[0]]))
            for currency in currencies:
                accounts.append(
                    Account(account_number=self._number(taken), user=user, currency=currency, type=TYPE_FOR_CURRENCY[currency],
                            created_at=user.date_joined, updated_at=user.date_joined)
                )
        with explicit_timestamps(Account):
            Account.objects.bulk_create(accounts, batch_size=BATCH)
        self.accounts = accounts
        self.accounts_of = {}
        for a in accounts:
            self.accounts_of.setdefault(a.user_id, []).append(a.pk)
            self.currency_of[a.pk] = a.currency
            self.owner_of[a.pk] = a.user
            self.active[a.pk] = a.is_active
            self.balances[a.pk] = money.ZERO
        system = Account.objects.filter(is_system=True)
        self.system_start = {}
        for number, currency, balance, role, active in system.values_list("pk", "currency", "balance", "system_role", "is_active"):
            self.balances[number] = self.system_start[number] = balance
            self.currency_of[number] = currency
            self.role_of[number], self.active[number] = role, active
        self.billers = list(Biller.objects.order_by("pk"))
        self.stats.accounts = len(accounts)

    # --- money events ------------------------------------------------------------------

    def _txn(self, moment, **fields):
        """A transaction row (attnames), with its id allocated now so entries can point at it."""
        row = {"id": self.tables["txn"].new_id(), "created_at": moment, "updated_at": moment, "completed_at": moment}
        row.update(fields)
        self.day_txns.append(row)
        self.stats.transactions += 1
        return row

    def _post(self, row, legs, moment, is_reversal=False):
        money.assert_balanced(legs)
        for leg in legs:
            self.balances[leg.account] += leg.amount
            self.day_entries.append(
                {"transaction_id": row["id"], "account_id": leg.account, "currency": leg.currency,
                 "amount": leg.amount, "is_reversal": is_reversal, "created_at": moment}
            )

    def deposit(self, number, amount, moment):
        currency = self.currency_of[number]
        fields = {"kind": TransactionKind.DEPOSIT, "initiated_by_id": self.staff.pk, "receiver_account_id": number,
                  "amount": amount, "description": "Demo deposit"}
        refusal = rules.frozen(self.active[number])
        if refusal is not None:
            self._refuse(moment, "create", fields, refusal)
            return
        row = self._txn(
            moment, **fields, status=TransactionStatus.SUCCESS, fee_amount=money.ZERO, currency=currency,
            credited_amount=amount, credited_currency=currency,
        )
        self._post(row, money.deposit_legs(self.system, number, currency, amount), moment)
        row["receiver_balance_after"] = self.balances[number]

    def transfer(self, sender, receiver, amount, moment, user):
        """The API's decision on this transfer (``movement_rules``), written as the API would leave it."""
        if rules.needs_code(amount):
            raise ValueError("The seeder writes no transfer that waits for an emailed code.")
        kind = rules.transfer_kind(self.owner_of[receiver].pk == user.pk)
        cur, rcur = self.currency_of[sender], self.currency_of[receiver]
        quote = money.quote_transfer(kind, amount, cur, rcur)
        fields = {"kind": kind, "initiated_by_id": user.pk, "sender_account_id": sender, "receiver_account_id": receiver, "amount": amount}
        if rules.credits_nothing(quote.credited):
            self._refuse(moment, "create", fields, rules.Refusal("validation_error"))
            return None
        refusal = rules.transfer_refusal(
            amount, quote.fee, self.balances[sender], self._outgoing_on(sender, self.day),
            active=(self.active[sender], self.active[receiver]),
        )
        if refusal is not None and not rules.is_recorded(refusal.code):
            self._refuse(moment, "create", fields, refusal)
            return None
        row = self._txn(
            moment, **fields, fee_amount=quote.fee, currency=cur, credited_amount=quote.credited,
            credited_currency=rcur, country=user.country, ip=self._ip(user),
        )
        if refusal is not None:
            row.update(status=TransactionStatus.FAILED, failure_reason=refusal.code)
            self.stats.failed += 1
            return None
        legs = money.transfer_legs(self.system, sender, cur, receiver, rcur, amount, quote.fee, quote.credited)
        row["status"] = TransactionStatus.SUCCESS
        self._post(row, legs, moment)
        self._count_outgoing(row, self.day)
        row["sender_balance_after"], row["receiver_balance_after"] = self.balances[sender], self.balances[receiver]
        self.stats.transfers += 1
        return row, legs

    def bill(self, number, moment, user):
        biller = self.rng.choice(self.billers)
        cur = self.currency_of[number]
        quote = money.quote_bill(biller.fixed_amount, biller.currency, cur)
        payment = {
            "user_id": user.pk, "account_id": number, "biller_id": biller.pk,
            "reference_number": f"D{self.rng.randint(10**7, 10**8 - 1)}", "amount": quote.amount, "currency": cur,
            "biller_amount": biller.fixed_amount, "biller_currency": biller.currency,
            "commission_amount": quote.commission, "created_at": moment,
        }
        fields = {"kind": TransactionKind.BILL, "initiated_by_id": user.pk, "sender_account_id": number,
                  "receiver_account_id": biller.system_account_id, "amount": quote.amount}
        refusal = rules.bill_refusal(quote.amount, self.balances[number], self._outgoing_on(number, self.day), active=self.active[number])
        if refusal is not None and not rules.is_recorded(refusal.code):
            self._refuse(moment, "create", {**fields, "payment": payment}, refusal)
            return
        row = self._txn(
            moment, **fields, fee_amount=money.ZERO, currency=cur,
            credited_amount=biller.fixed_amount, credited_currency=biller.currency,
            description=f"{biller.name} demo", country=user.country, ip=self._ip(user),
        )
        payment["transaction_id"] = row["id"]
        if refusal is not None:
            row.update(status=TransactionStatus.FAILED, failure_reason=refusal.code)
            payment.update(status=BillStatus.FAILED, failure_reason=refusal.code)
        else:
            row["status"], payment["status"] = TransactionStatus.SUCCESS, BillStatus.PAID
            legs = money.bill_legs(self.system, number, cur, biller.system_account_id, biller.currency, quote, biller.fixed_amount)
            self._post(row, legs, moment)
            self._count_outgoing(row, self.day)
            row["sender_balance_after"] = self.balances[number]
            row["receiver_balance_after"] = self.balances[biller.system_account_id]
        self.day_bills.append(payment)
        self.stats.bills += 1

    def reverse(self, row, legs, moment):
        """Staff reversal: the exact opposite legs, unless ``movement_rules.reversal_refusal`` refuses it."""
        back = money.reversal_legs(legs)
        refusal = rules.reversal_refusal(row["status"], money.account_deltas(back), self.balances, self.role_of)
        if refusal is not None:
            self._refuse(moment, "reverse", {"id": row["id"]}, refusal)
            return
        self._post(row, back, moment, is_reversal=True)
        self._uncount_outgoing(row)
        row.update(status=TransactionStatus.REVERSED, reversed_at=moment, updated_at=moment)
        self.stats.reversals += 1

    # --- rule 6's running totals, and refusals -------------------------------------------------

    def _outgoing_on(self, number, day):
        """The account's SUCCESS outgoing total on ``day`` so far (what the API sums for rule 6)."""
        held, total = self.outgoing.get(number, (None, money.ZERO))
        return total if held == day else money.ZERO

    def _count_outgoing(self, row, day):
        """A SUCCESS outgoing movement adds its amount (fees excluded) to its sender's total of the day."""
        if row["kind"] in Transaction.OUTGOING_KINDS:
            sender = row["sender_account_id"]
            self.outgoing[sender] = (day, self._outgoing_on(sender, day) + row["amount"])

    def _uncount_outgoing(self, row):
        """Its reversal takes the amount off the day it counted on (no longer counted: no longer SUCCESS)."""
        sender, day = row["sender_account_id"], timezone.localdate(row["completed_at"])
        if row["kind"] in Transaction.OUTGOING_KINDS and self.outgoing.get(sender, (None,))[0] == day:
            self.outgoing[sender] = (day, self.outgoing[sender][1] - row["amount"])

    def _refuse(self, moment, action, row, refusal):
        """An attempt the API would roll back: no row, only the record of what was refused and where."""
        self.refusals.append(Refused(moment, action, {**row, "before_id": self.tables["txn"].next_id}, refusal.code))
        self.stats.refused += 1

    def _ip(self, user):
        return f"10.{user.pk % 250}.{(user.pk // 250) % 250}.{1 + user.pk % 200}"

    # --- a day ---------------------------------------------------------------------------

    def run_day(self, day):
        rng = self.rng
        self.day = day  # every money event below falls on it (rule 6 counts per day)
        logins, incidents = [], []
        joined = [u for u in self.customers if timezone.localdate(u.date_joined) <= day]
        events = []
        for user in joined:
            if timezone.localdate(user.date_joined) == day:
                events.append((self._before_now(user.date_joined + timedelta(minutes=1)), "login", None, user))
                for number in self.accounts_of.get(user.pk, []):
                    events.append((self._before_now(user.date_joined + timedelta(minutes=5)), "open", number, user))
            elif rng.random() < 0.6:
                events.append((self._time(day), "login", None, user))
            if day.day == 1 and timezone.localdate(user.date_joined) < day:
                for number in self.accounts_of.get(user.pk, []):
                    events.append((self._time(day, 6, 6), "salary", number, user))
        cross = rng.uniform(*self.o.cross_currency_share)
        numbers = [n for u in joined for n in self.accounts_of.get(u.pk, [])]
        self.others = {}  # user pk -> the day's accounts of other customers (built on first use)
        for number in numbers:
            user = self.owner_of[number]
            if rng.random() < self.o.active_account_share:
                for _ in range(rng.randint(*self.o.transfers_per_active_account)):
                    events.append((self._time(day), "transfer", number, user))
            if rng.random() < self.o.bill_share:
                events.append((self._time(day), "bill", number, user))
        events += self._logins_before_money(events, day)
        events.sort(key=lambda e: (e[0], e[1], e[2] or ""))
        reversible = []
        for moment, kind, number, user in events:
            if kind == "open":
                self.deposit(number, _money(rng, 2000, 8000), moment)
            elif kind == "salary":
                self.deposit(number, _money(rng, 800, 3000), moment)
            elif kind == "login":
                logins.append(self._login(user, moment, True))
            elif kind == "bill":
                self.bill(number, moment, user)
            else:
                done = self._random_transfer(number, user, moment, numbers, cross)
                if done and rng.random() < self.o.reversal_share:
                    reversible.append(done)
        for txn, legs in reversible:
            self.reverse(txn, legs, self._time(day, 23, 23))
        for _ in range(rng.randint(*self.o.failed_logins_per_day)):
            logins.append(self._failed_login(day))
        for _ in range(rng.randint(*self.o.incidents_per_day)):
            incidents.append(self._incident(day, joined))
        self._write(day, logins, incidents)

    def _logins_before_money(self, events, day):
        """A login shortly before the first transfer or bill of each customer who has none that day."""
        logged_in = {user.pk for _, kind, _, user in events if kind == "login"}
        first_move = {}
        for moment, kind, _, user in events:
            if kind in ("transfer", "bill") and user.pk not in logged_in:
                earliest = first_move.get(user.pk)
                if earliest is None or moment < earliest[0]:
                    first_move[user.pk] = (moment, user)
        midnight = timezone.make_aware(datetime.combine(day, time.min))
        return [
            (max(midnight, moment - timedelta(minutes=self.rng.randint(1, 30))), "login", None, user)
            for moment, user in (first_move[pk] for pk in sorted(first_move))
        ]

    def _random_transfer(self, sender, user, moment, numbers, cross_share):
        rng = self.rng
        own = [n for n in self.accounts_of[user.pk] if n != sender]
        want_cross = rng.random() < cross_share
        cur = self.currency_of[sender]
        if own and rng.random() < 0.25:
            candidates = own
        else:
            candidates = self._others(user, numbers)
        matching = [n for n in candidates if (self.currency_of[n] != cur) == want_cross] or candidates
        if not matching:
            return None
        receiver = rng.choice(matching)
        amount = _money(rng, 5, 300) if rng.random() < 0.9 else _money(rng, 300, float(settings.HIGH_VALUE_THRESHOLD))
        balance = self.balances[sender]
        if amount * 2 > balance and rng.random() < 0.9:  # most customers spend within their means; some attempts fail
            amount = money.quantize_money(balance * Decimal(rng.uniform(0.05, 0.3)))
            if amount < 1:
                amount = _money(rng, 5, 50)
        return self.transfer(sender, receiver, amount, moment, user)

    def _others(self, user, numbers):
        """The accounts of the day's other customers, in ``numbers`` order (kept for the day: it is asked per transfer)."""
        if user.pk not in self.others:
            self.others[user.pk] = [n for n in numbers if self.owner_of[n].pk != user.pk]
        return self.others[user.pk]

    def _login(self, user, moment, successful):
        self.stats.logins += 1
        return {"user_id": user.pk, "ip": self._ip(user), "country": user.country, "successful": successful,
                "attempted_email": user.email, "user_agent": "NexusDemo/1.0", "source": "password", "timestamp": moment}

    def _failed_login(self, day):
        rng = self.rng
        target = rng.choice(self.customers)
        email = target.email if rng.random() < 0.7 else f"unknown{rng.randint(1, 999)}@{DEMO_DOMAIN}"
        return {"user_id": None, "ip": f"203.0.113.{rng.randint(1, 254)}", "country": rng.choice(["JO", "AE", "SA", "RU", "US"]),
                "successful": False, "attempted_email": email, "user_agent": "python-requests/2.32", "source": "password",
                "failure_reason": "invalid_credentials", "timestamp": self._time(day, 0, 23)}

    def _incident(self, day, joined):
        rng = self.rng
        rule, event, severity = rng.choice(INCIDENT_KINDS)
        user = rng.choice(joined) if joined else None
        self.stats.incidents += 1
        return {"user_id": user.pk if user else None, "ip": f"203.0.113.{rng.randint(1, 254)}",
                "country": rng.choice(["JO", "AE", "SA", "RU"]), "attempted_email": user.email if user else "",
                "event": event, "rule": rule, "severity": severity, "details": {"demo": True},
                "timestamp": self._time(day, 0, 23)}

    # --- writing ---------------------------------------------------------------------------

    def _write(self, day, logins, incidents):
        """Insert the day's rows; entry ids follow the running balances (time order)."""
        t = self.tables
        t["txn"].insert(self.day_txns)
        t["entry"].insert(self.day_entries)
        t["bill"].insert(self.day_bills)
        t["login"].insert(logins)
        t["incident"].insert(incidents)
        self.day_txns, self.day_entries, self.day_bills = [], [], []

    def finish_balances(self):
        """Store the demo accounts' final balances; add the net change to the bank's (others may be posting too)."""
        rows = [Account(pk=a.pk, balance=self.balances[a.pk]) for a in self.accounts]
        Account.objects.bulk_update(rows, ["balance"], batch_size=BATCH)
        for number, start in sorted(self.system_start.items()):
            if self.balances[number] != start:
                Account.objects.filter(pk=number).update(balance=F("balance") + (self.balances[number] - start))

    def run(self):
        self.tables = {
            "txn": RawTable(Transaction), "entry": RawTable(LedgerEntry), "bill": RawTable(BillPayment),
            "login": RawTable(LoginEvent), "incident": RawTable(Incident),
        }
        self.create_people()
        self.create_accounts()
        all_days = [day for day in days(self.o.start, self.o.end) if day <= timezone.localdate(self.now)]
        for index, day in enumerate(all_days, 1):
            self.run_day(day)
            if index % 10 == 0 or index == len(all_days):
                self.log(f"  day {index}/{len(all_days)} ({day}): {self.stats.transactions} transactions so far")
        self.finish_balances()
        reset_sequences(Transaction, LedgerEntry, BillPayment, LoginEvent, Incident)
        return self.stats
