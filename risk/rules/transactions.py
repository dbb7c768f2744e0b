"""Transaction rules (API.md §8.3), evaluated once per new transfer after commit.

Amounts compared across currencies (averages, velocity totals) are in the base
currency (JOD, the reporting currency); single-transfer thresholds use the transfer's amount.

``evaluate_transfers`` runs them on a batch of delivered transfers: the
sliding windows, the first-beneficiary look-ups and the "already fired?"
checks are read for the whole batch first (``BatchFigures``: one query
each), then the rules run transfer by transfer on those figures. A single
transfer (``evaluate_transfer``) reads them for itself.
"""
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import BigIntegerField, Case, CharField, Count, F, IntegerField, Min, Q, Sum, Value, When

from api import money
from api.models import Transaction
from risk.incidents import raise_incident
from risk.models import Incident, LoginEvent

from . import evaluate, fired_since, local_hour_in, since

Severity = Incident.Severity
ANONYMIZER = re.compile(r"vpn|\btor\b|tor[-_ ]?exit", re.IGNORECASE)  # "store" or "monitor" are not Tor
TRUE_HEADER = {"1", "true", "yes"}


def _owner(txn):
    return txn.initiated_by or (txn.sender_account.user if txn.sender_account_id else None)


def _details(txn, **extra):
    return {
        "transaction_id": txn.pk,
        "amount": f"{txn.amount:.2f}",
        "currency": txn.currency,
        "sender_account": txn.sender_account_id,
        "receiver_account": txn.receiver_account_id,
        "kind": txn.kind,
        "status": txn.status,
        **extra,
    }


def _raise(txn, rule, title, severity, customer_notice=None, **extra):
    return raise_incident(
        rule,
        title,
        severity,
        user=_owner(txn),
        ip=txn.ip,
        country=txn.country,
        details=_details(txn, **extra),
        customer_notice=customer_notice,
    )


def _transfers_by(txn):
    """Transfers sent from the same user's accounts.

    A transfer is always initiated by the owner of its sending account, so
    this reads the (initiated_by, created_at) index: the cost follows the
    user's own history, not the bank's volume in the window.
    """
    return Transaction.objects.filter(kind__in=Transaction.TRANSFER_KINDS, initiated_by_id=_owner(txn).pk)


@dataclass
class Windows:
    """The sliding-window figures of one transfer's sender (amounts in JOD)."""

    rapid_count: int = 0
    velocity_count: int = 0
    velocity_jod: Decimal = money.ZERO
    history_count: int = 0
    history_jod: Decimal = money.ZERO


def _in_jod(amount, currency):
    return money.convert(amount or money.ZERO, currency, settings.BASE_CURRENCY)


ONCE_PER_WINDOW = {"rapid_transfers": "RISK_RAPID_TRANSFER_WINDOW_MINUTES", "velocity": "RISK_VELOCITY_WINDOW_MINUTES"}


def _window_starts(moment):
    """(earliest, rapid, velocity, look-back) starts of the windows ending at ``moment``."""
    rapid = since(moment, settings.RISK_RAPID_TRANSFER_WINDOW_MINUTES)
    velocity = since(moment, settings.RISK_VELOCITY_WINDOW_MINUTES)
    lookback = moment - timedelta(days=settings.RISK_UNUSUAL_SIZE_LOOKBACK_DAYS)
    return min(rapid, velocity, lookback), rapid, velocity, lookback


def _border_gaps(first, last):
    """The open intervals between the border zones of a batch whose transfers span [first, last].

    A window of length W ending at a transfer of the batch starts inside the
    zone [first - W, last - W] (each start is ``_window_starts`` of a moment
    in [first, last]), and ends inside [first, last]. So no window border of
    the batch falls strictly between two zones: the rows there are counted
    whole or not at all by every window of the batch, and need no more than
    their totals.
    """
    zones = sorted(zip(_window_starts(first)[1:], _window_starts(last)[1:], strict=True)) + [(first, last)]
    gaps, edge = [], zones[0][1]
    for start, end in zones[1:]:
        if start > edge:
            gaps.append((edge, start))
        edge = max(edge, end)
    return gaps


class _Timeline:
    """One sender's transfers in a batch's windows, oldest first, with running totals.

    Every window ends at its transfer, so each figure is the difference of two
    running totals found by bisection: a transfer's windows cost O(log n) in
    the sender's history instead of a pass over it (a busy sender's history
    grows with every transfer it makes).

    A row is one transfer, or the totals of several between two border zones
    (``_border_gaps``) placed at the earliest of them: no window border falls
    between them, so a bisection never needs them apart. Sums are kept per
    currency and converted to JOD per window, as ``_windows`` converts its
    per-currency sums: converting each transfer would round cents differently.
    """

    def __init__(self, rows):
        # (pk or None for totals, created_at, currency, status SUCCESS/FAILED/other, count, amount)
        rows = sorted(rows, key=lambda row: row[1])
        self.moments = [row[1] for row in rows]
        self.own = {}
        zero = dict.fromkeys({row[2] for row in rows}, money.ZERO)
        # Running totals before each row: (all, SUCCESS, non-FAILED amounts, SUCCESS amounts), amounts by currency.
        totals = [(0, 0, zero, zero)]
        for pk, created_at, currency, status, count, amount in rows:
            everything, succeeded, live, success = totals[-1]
            if status != Transaction.Status.FAILED:
                live = {**live, currency: live[currency] + amount}
            if status == Transaction.Status.SUCCESS:
                succeeded, success = succeeded + count, {**success, currency: success[currency] + amount}
            totals.append((everything + count, succeeded, live, success))
            if pk is not None:
                self.own[pk] = (created_at, status, currency, amount)
        self.totals = totals

    def windows(self, txn):
        """Figures as ``_windows`` reads them from the database: each window ends at ``txn``, itself included."""
        _earliest, rapid, velocity, lookback = _window_starts(txn.created_at)
        end = self.totals[bisect_right(self.moments, txn.created_at)]
        at_rapid, at_velocity, at_lookback = (
            self.totals[bisect_left(self.moments, start)] for start in (rapid, velocity, lookback)
        )
        velocity_sums = {currency: total - at_velocity[2][currency] for currency, total in end[2].items()}
        history_sums = {currency: total - at_lookback[3][currency] for currency, total in end[3].items()}
        history_count = end[1] - at_lookback[1]
        created_at, status, currency, amount = self.own.get(txn.pk, (None, None, None, None))
        if status == Transaction.Status.SUCCESS and lookback <= created_at <= txn.created_at:
            history_count -= 1  # the look-back average is of the earlier transfers
            history_sums[currency] -= amount
        return Windows(
            rapid_count=end[0] - at_rapid[0],
            velocity_count=end[0] - at_velocity[0],
            velocity_jod=sum((_in_jod(total, currency) for currency, total in velocity_sums.items()), money.ZERO),
            history_count=history_count,
            history_jod=sum((_in_jod(total, currency) for currency, total in history_sums.items()), money.ZERO),
        )


class BatchFigures:
    """What the rules read for a batch of transfers, one query per kind of figure.

    Set on each transfer as ``_risk_batch``; the rules fall back to their own
    queries on a transfer without it. Incidents the batch raises are added to
    the "already fired?" figures as they are raised, so a later transfer of
    the same batch sees them as it would have seen them in the database.
    """

    def __init__(self, txns):
        self.owners = {_owner(txn).pk for txn in txns}
        starts = [_window_starts(txn.created_at) for txn in txns]
        self.history = self._history(min(txn.created_at for txn in txns), max(txn.created_at for txn in txns))
        self.seen = self._earlier_beneficiaries([txn for txn in txns if txn.kind == Transaction.Kind.EXTERNAL])
        fired_from = min(min(start[1], start[2]) for start in starts)
        self.fired = list(
            Incident.objects.filter(rule__in=ONCE_PER_WINDOW, user_id__in=self.owners, timestamp__gte=fired_from)
            .values_list("rule", "user_id", "timestamp")
        )

    def _history(self, first, last):
        """``{owner: _Timeline}`` of the owners' transfers in the windows of a batch spanning [first, last].

        One grouped query: the transfers a window border of the batch can cut
        (in a border zone) and the batch's own span are read one by one (each
        its own group, by pk); those in a gap between zones (``_border_gaps``)
        collapse into their gap's totals per currency and status (groups -1, -2, …).
        So the rows sent back and sorted follow the batch, not the senders'
        history: a busy sender's month is a few rows per batch, not one per
        transfer (the database still walks it in the index to sum it).
        """
        Status = Transaction.Status
        part = Case(
            *(When(created_at__gt=start, created_at__lt=end, then=Value(-number))
              for number, (start, end) in enumerate(_border_gaps(first, last), 1)),
            default=F("pk"), output_field=BigIntegerField(),
        )
        status_class = Case(
            When(status=Status.FAILED, then=Value(Status.FAILED.value)),
            When(status=Status.SUCCESS, then=Value(Status.SUCCESS.value)),
            default=Value(""), output_field=CharField(),
        )
        rows = (
            Transaction.objects.filter(kind__in=Transaction.TRANSFER_KINDS, initiated_by_id__in=self.owners,
                                       created_at__gte=_window_starts(first)[0], created_at__lte=last)
            .annotate(part=part, status_class=status_class)
            .order_by()
            .values_list("initiated_by_id", "part", "currency", "status_class")
            .annotate(moment=Min("created_at"), count=Count("pk"), amount=Sum("amount"))
        )
        by_owner = {}
        for owner, group, currency, status, moment, count, amount in rows:
            pk = group if group > 0 else None
            by_owner.setdefault(owner, []).append((pk, moment, currency, status, count, amount))
        return {owner: _Timeline(owner_rows) for owner, owner_rows in by_owner.items()}

    def _earlier_beneficiaries(self, txns):
        """``{(owner, receiver): [created_at, ...]}`` of their non-FAILED transfers: the batch's own one by one.

        One grouped query: every transfer outside the batch collapses into its
        pair's earliest moment; the batch's own are kept apart (by pk), since
        a transfer does not count as its own earlier one.
        """
        if not txns:
            return {}
        batch = [txn.pk for txn in txns]
        rows = (
            Transaction.objects.filter(
                kind__in=Transaction.TRANSFER_KINDS,
                initiated_by_id__in={_owner(txn).pk for txn in txns},
                receiver_account_id__in={txn.receiver_account_id for txn in txns},
            )
            .exclude(status=Transaction.Status.FAILED)
            .annotate(own=Case(When(pk__in=batch, then=F("pk")), default=Value(0), output_field=IntegerField()))
            .order_by()
            .values_list("initiated_by_id", "receiver_account_id", "own")
            .annotate(first=Min("created_at"))
        )
        seen = {}
        for owner, receiver, own, first in rows:
            seen.setdefault((owner, receiver), []).append((own, first))
        return seen

    def windows(self, txn):
        timeline = self.history.get(_owner(txn).pk)
        return timeline.windows(txn) if timeline else Windows()

    def sent_before(self, txn):
        """Has the owner a non-FAILED transfer to this receiver, other than ``txn``, no later than it?"""
        return any(
            own != txn.pk and first <= txn.created_at
            for own, first in self.seen.get((_owner(txn).pk, txn.receiver_account_id), ())
        )

    def fired_since(self, rule, start, user):
        return any(name == rule and owner == user.pk and at >= start for name, owner, at in self.fired)

    def raised(self, incident):
        if incident is not None and incident.rule in ONCE_PER_WINDOW:
            self.fired.append((incident.rule, incident.user_id, incident.timestamp))
        return incident


def _fired_since(txn, rule, start):
    batch = getattr(txn, "_risk_batch", None)
    if batch is None:
        return fired_since(rule, start, user=_owner(txn))
    return batch.fired_since(rule, start, _owner(txn))


def _raise_once(txn, *args, **kwargs):
    """``_raise`` for the once-per-window rules: the batch learns of the incident."""
    incident = _raise(txn, *args, **kwargs)
    batch = getattr(txn, "_risk_batch", None)
    return batch.raised(incident) if batch is not None else incident


def _windows(txn):
    """Every windowed figure the rules read, in one query grouped by currency, memoized on the event.

    Windows end at the transfer (itself included, like the rules' counts);
    refused transfers count towards the burst windows but not towards the
    velocity total, and the look-back average takes earlier SUCCESS ones only.
    """
    cached = getattr(txn, "_risk_windows", None)
    if cached is not None:
        return cached
    batch = getattr(txn, "_risk_batch", None)
    if batch is not None:
        txn._risk_windows = batch.windows(txn)
        return txn._risk_windows
    moment = txn.created_at
    rapid = Q(created_at__gte=since(moment, settings.RISK_RAPID_TRANSFER_WINDOW_MINUTES))
    velocity = Q(created_at__gte=since(moment, settings.RISK_VELOCITY_WINDOW_MINUTES))
    lookback = moment - timedelta(days=settings.RISK_UNUSUAL_SIZE_LOOKBACK_DAYS)
    history = Q(created_at__gte=lookback, status=Transaction.Status.SUCCESS) & ~Q(pk=txn.pk)
    earliest = min(lookback, since(moment, settings.RISK_VELOCITY_WINDOW_MINUTES),
                   since(moment, settings.RISK_RAPID_TRANSFER_WINDOW_MINUTES))
    rows = (
        _transfers_by(txn)
        .filter(created_at__gte=earliest, created_at__lte=moment)
        .order_by()
        .values("currency")
        .annotate(
            rapid=Count("pk", filter=rapid),
            velocity=Count("pk", filter=velocity),
            velocity_total=Sum("amount", filter=velocity & ~Q(status=Transaction.Status.FAILED)),
            history=Count("pk", filter=history),
            history_total=Sum("amount", filter=history),
        )
    )
    windows = Windows()
    for row in rows:
        windows.rapid_count += row["rapid"]
        windows.velocity_count += row["velocity"]
        windows.velocity_jod += _in_jod(row["velocity_total"], row["currency"])
        windows.history_count += row["history"]
        windows.history_jod += _in_jod(row["history_total"], row["currency"])
    txn._risk_windows = windows
    return windows


# --- rules ----------------------------------------------------------------------


def large_transaction(txn):
    if txn.amount < settings.RISK_LARGE_TXN_THRESHOLD:
        return None
    return _raise(
        txn, "large_transaction", "Large transaction above threshold", Severity.MEDIUM,
        threshold=str(settings.RISK_LARGE_TXN_THRESHOLD),
    )


def unusual_size(txn):
    """Far above the user's average SUCCESS transfer of the look-back period (needs history)."""
    windows = _windows(txn)
    count = windows.history_count
    if count == 0:
        return None
    average = money.quantize_money(windows.history_jod / count)
    amount = money.convert(txn.amount, txn.currency, settings.BASE_CURRENCY)
    if average <= 0 or amount < settings.RISK_UNUSUAL_SIZE_MULTIPLIER * average:
        return None
    return _raise(
        txn, "unusual_size", "Unusual transaction size", Severity.MEDIUM,
        average_jod=str(average), amount_jod=str(amount), history_count=count,
        multiplier=str(settings.RISK_UNUSUAL_SIZE_MULTIPLIER),
    )


def first_beneficiary(txn):
    if txn.kind != Transaction.Kind.EXTERNAL:
        return None
    batch = getattr(txn, "_risk_batch", None)
    if batch is not None:
        if batch.sent_before(txn):
            return None
        return _raise(txn, "first_beneficiary", "First transfer to new beneficiary", Severity.MEDIUM)
    earlier = (
        _transfers_by(txn)
        .filter(receiver_account_id=txn.receiver_account_id, created_at__lte=txn.created_at)
        .exclude(pk=txn.pk)
        .exclude(status=Transaction.Status.FAILED)
    )
    if earlier.exists():
        return None
    return _raise(txn, "first_beneficiary", "First transfer to new beneficiary", Severity.MEDIUM)


def rapid_transfers(txn):
    minutes = settings.RISK_RAPID_TRANSFER_WINDOW_MINUTES
    count = _windows(txn).rapid_count
    if count < settings.RISK_RAPID_TRANSFER_COUNT:
        return None
    if _fired_since(txn, "rapid_transfers", since(txn.created_at, minutes)):
        return None
    return _raise_once(
        txn, "rapid_transfers", "Multiple transfers in short window", Severity.MEDIUM,
        transfer_count=count, window_minutes=minutes,
    )


def velocity(txn):
    """Many transfers, or a large total (JOD, refused ones excluded), inside the window."""
    minutes = settings.RISK_VELOCITY_WINDOW_MINUTES
    windows = _windows(txn)
    count, total = windows.velocity_count, windows.velocity_jod
    if count < settings.RISK_VELOCITY_COUNT and total < settings.RISK_VELOCITY_AMOUNT:
        return None
    if _fired_since(txn, "velocity", since(txn.created_at, minutes)):
        return None
    return _raise_once(
        txn, "velocity", "Suspicious transaction velocity", Severity.HIGH,
        customer_notice="Unusually many or large transfers left your accounts in the last minutes. "
        "If this was not you, contact the bank at once.",
        transfer_count=count, total_jod=str(total), window_minutes=minutes,
    )


def unusual_hour_txn(txn):
    if not local_hour_in(txn.created_at, settings.RISK_UNUSUAL_HOUR_START, settings.RISK_UNUSUAL_HOUR_END):
        return None
    return _raise(txn, "unusual_hour_txn", "Transaction at unusual hour", Severity.LOW)


def blacklisted_ip(txn):
    if not txn.ip or txn.ip not in settings.RISK_BLACKLISTED_IPS:
        return None
    return _raise(txn, "blacklisted_ip", "Transaction from blacklisted IP", Severity.HIGH)


def anonymizer(txn):
    """``Via`` or ``X-Tor-Exit`` of the creating request names Tor or a VPN."""
    meta = txn.request_meta or {}
    via = str(meta.get("via") or meta.get("Via") or "")
    tor_exit = str(meta.get("x_tor_exit") or meta.get("X-Tor-Exit") or "")
    flagged = ANONYMIZER.search(via) or ANONYMIZER.search(tor_exit) or tor_exit.strip().lower() in TRUE_HEADER
    if not flagged:
        return None
    return _raise(
        txn, "anonymizer", "Transaction via anonymizer (Tor/VPN)", Severity.MEDIUM, via=via, x_tor_exit=tor_exit
    )


def new_country_txn(txn):
    """The request's country differs from the user's last successful login, which was recent."""
    if not txn.country:
        return None
    last = (
        LoginEvent.objects.filter(user=_owner(txn), successful=True, timestamp__lte=txn.created_at)
        .order_by("-timestamp", "-id")
        .first()
    )
    if last is None or not last.country or last.country == txn.country:
        return None
    if last.timestamp < txn.created_at - timedelta(hours=settings.RISK_NEW_COUNTRY_TXN_HOURS):
        return None
    return _raise(
        txn, "new_country_txn", "Transaction from new country after login", Severity.HIGH,
        customer_notice=f"A transfer from your account was made from {txn.country}, "
        f"but you signed in from {last.country}. If this was not you, contact the bank at once.",
        login_country=last.country, login_ip=last.ip,
    )


def failed_transfer(txn):
    if txn.status != Transaction.Status.FAILED:
        return None
    return _raise(
        txn, "failed_transfer", "Failed transfer attempt", Severity.MEDIUM, reason=txn.failure_reason or ""
    )


TRANSFER_RULES = [
    large_transaction,
    unusual_size,
    first_beneficiary,
    rapid_transfers,
    velocity,
    unusual_hour_txn,
    blacklisted_ip,
    anonymizer,
    new_country_txn,
    failed_transfer,
]


def _evaluated(txn):
    return txn.kind in Transaction.TRANSFER_KINDS and txn.sender_account_id is not None and _owner(txn) is not None


def evaluate_transfer(txn):
    if not _evaluated(txn):
        return []
    return evaluate(TRANSFER_RULES, txn)


def evaluate_transfers(txns):
    """The rules on each of a batch of delivered transfers, in order, their figures read for the batch at once."""
    txns = [txn for txn in txns if _evaluated(txn)]
    if not txns:
        return []
    batch = BatchFigures(txns)
    raised = []
    for txn in txns:
        txn._risk_batch = batch
        raised += evaluate(TRANSFER_RULES, txn)
    return raised


def record_failed_transfer(user, context, reason, details=None):
    """A transfer refused by §5.1 that records no transaction (rules 3–6).

    Call it after the refused database transaction rolled back (outside the
    ``atomic`` block), or the incident rolls back with it. ``context`` is
    ``request_context(request)`` (or a Transaction context with ip/country).
    """
    context = context or {}
    return raise_incident(
        "failed_transfer",
        "Failed transfer attempt",
        Severity.MEDIUM,
        user=user,
        ip=context.get("ip"),
        country=context.get("country", ""),
        details={"reason": reason, **(details or {})},
    )
