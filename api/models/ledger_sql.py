"""The hot statements of a posting, hand-written (PostgreSQL; SQLite ≥ 3.35 for RETURNING).

Why: through the ORM, taking an idempotency key costs a savepoint around the
INSERT (SAVEPOINT, INSERT, RELEASE) so that a conflict leaves the block
usable, and applying balances costs an UPDATE then a SELECT to read them
back. ``INSERT … ON CONFLICT DO NOTHING RETURNING`` and ``UPDATE … RETURNING``
do each in one statement. Both are plain SQL that the two backends share.

On PostgreSQL, ``add_to_balances`` also takes rows to INSERT in the same
statement (data-modifying CTEs, executed exactly once with it): the ledger
entries and the outbox events of a posting go with its balance UPDATE in one
round trip instead of three. Every round trip is spent holding the
accounts' row locks, which a busy account's next transfer is queued on
(docs/BENCHMARKS.md, "where the hot row's lock hold goes").

The row lock that opens every movement (``lock_in_order``) is hand-written
for the other cost: the ORM compiled it again for every movement.
"""
import json
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.db import connection, connections
from django.db.models import JSONField
from django.db.transaction import TransactionManagementError

from api import money

from .columns import Columns


def _quote(name):
    return connection.ops.quote_name(name)


def next_id(model):
    """Draw the primary key of a ``model`` row to be INSERTed later in this transaction (PostgreSQL).

    A row whose key is known before it is written can be written by the same
    statement as the rows that name it (``add_to_balances``' ``inserts``),
    and the round trip that draws it can happen before any row lock is
    taken. A drawn key that is never used leaves a gap, as a rolled-back
    INSERT does.
    """
    meta = model._meta
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s))", [meta.db_table, meta.pk.column])
        return cursor.fetchone()[0]


def lock_in_order(model, keys):
    """The ``model`` rows whose primary key is in ``keys``, row-locked in key order (deadlock-free).

    What ``select_for_update().filter(pk__in=keys).order_by("pk")`` does, with
    the statement built once per number of keys: the ORM compiled it again
    for every movement, 1.3 of the 1.5 CPU-ms it cost on the benchmark
    machine. SQLite has no row locks (its writers take the whole database).
    """
    if not connection.in_atomic_block:
        raise TransactionManagementError("Rows are locked inside a transaction (transaction.atomic).")
    sql, columns = _locking(model, len(keys), connection.alias)
    with connection.cursor() as cursor:
        cursor.execute(sql, [model._meta.pk.get_db_prep_value(key, connection) for key in keys])
        return [columns.instance(row) for row in cursor.fetchall()]


@lru_cache(maxsize=32)
def _locking(model, count, using):
    database, meta, columns = connections[using], model._meta, Columns(model, "t", using)
    quote = database.ops.quote_name
    key = f"t.{quote(meta.pk.column)}"
    lock = " FOR UPDATE" if database.features.has_select_for_update else ""
    placeholders = ", ".join(["%s"] * count)
    sql = f"SELECT {columns.sql} FROM {quote(meta.db_table)} t WHERE {key} IN ({placeholders}) ORDER BY {key}{lock}"  # noqa: S608  # nosec B608 - names from model metadata, quoted; values are parameters
    return sql, columns


def _columns(instance):
    """The fields an INSERT of ``instance`` writes: the primary key too when it was drawn ahead (``next_id``)."""
    return _fields(type(instance), instance.pk is not None)


@lru_cache(maxsize=32)
def _fields(model, with_key):
    return tuple(field for field in model._meta.concrete_fields if with_key or not field.primary_key)


@lru_cache(maxsize=32)
def _names(model, with_key):
    """``(table, column list)`` of an INSERT of ``model`` rows, quoted once: every posting writes them."""
    columns = ", ".join(_quote(field.column) for field in _fields(model, with_key))
    return _quote(model._meta.db_table), columns


def _saved(instance):
    instance._state.adding, instance._state.db = False, connection.alias


def insert_unless_taken(instance):
    """INSERT ``instance``; False (nothing written) when a unique constraint already holds its values.

    Sets the primary key and the ``auto_now_add`` fields as ``save()`` would;
    sends no model signals (none is connected to the models it serves).
    """
    fields = _columns(instance)
    values = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]
    table, columns = _names(type(instance), instance.pk is not None)
    placeholders = ", ".join(["%s"] * len(fields))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({placeholders}) "  # noqa: S608  # nosec B608 - names from model metadata, quoted; values are parameters
            f"ON CONFLICT DO NOTHING RETURNING {_quote(instance._meta.pk.column)}",
            values,
        )
        row = cursor.fetchone()
    if row is None:
        return False
    instance.pk = row[0]
    _saved(instance)
    return True


def add_to_balances(model, deltas, outgoing=None, inserts=()):
    """Add ``{account_number: delta}`` to the balances (rows already locked); return the new balances.

    ``outgoing`` (``{account_number: (day, total)}``) sets those accounts'
    daily outgoing running total in the same statement. ``inserts``: lists
    of unsaved model instances (one model per list) INSERTed by the same
    statement on PostgreSQL, by one ``bulk_create`` each before it elsewhere.
    A row named by the others (a transaction, by its entries) carries the
    key drawn for it by ``next_id``; PostgreSQL checks the foreign keys at
    COMMIT, so the order of the lists does not matter.
    """
    meta = model._meta
    number, balance = _quote(meta.pk.column), _quote(meta.get_field("balance").column)
    cases = " ".join("WHEN %s THEN CAST(%s AS NUMERIC)" for _ in deltas)
    params = [value for pair in deltas.items() for value in (pair[0], str(pair[1]))]
    extra = ""
    day_field = meta.get_field("outgoing_day")
    day_column, total_column = _quote(day_field.column), _quote(meta.get_field("outgoing_total").column)
    for key, (day, total) in (outgoing or {}).items():
        extra += (
            f", {total_column} = CASE {number} WHEN %s THEN CAST(%s AS NUMERIC) ELSE {total_column} END"
            f", {day_column} = CASE {number} WHEN %s THEN %s ELSE {day_column} END"
        )
        params += [key, str(total), key, day_field.get_db_prep_value(day, connection)]
    keys = ", ".join(["%s"] * len(deltas))
    prefix, prefix_params = _inserting(inserts)
    with connection.cursor() as cursor:
        cursor.execute(
            f"{prefix}UPDATE {_quote(meta.db_table)} SET {balance} = {balance} + CASE {number} {cases} END{extra} "  # noqa: S608  # nosec B608 - names from model metadata, quoted; values are parameters
            f"WHERE {number} IN ({keys}) RETURNING {number}, {balance}",
            prefix_params + params + list(deltas),
        )
        # SQLite hands NUMERIC sums back as floats: rounded to the cent, as the ORM's converter does.
        balances = {key: money.quantize_money(Decimal(str(value))) for key, value in cursor.fetchall()}
    for row in (row for rows in inserts for row in rows if row.pk is not None and row._state.adding):
        _saved(row)  # a row whose key was drawn ahead (next_id) is in the database now
    return balances


def _inserting(inserts):
    """``(WITH clause, its parameters)`` INSERTing ``inserts`` on PostgreSQL; elsewhere bulk-created now.

    Each list of rows is one JSON parameter, unpacked by ``jsonb_populate_recordset``:
    the statement's text and its few parameters stay the same from one posting to
    the next, so psycopg converts it once per process (it does not cache a query
    of more than 50 parameters) rather than on every posting, under the row locks.
    """
    inserts = [rows for rows in inserts if rows]
    if connection.vendor != "postgresql":
        for rows in inserts:
            type(rows[0]).objects.bulk_create(rows)
        return "", []
    clauses, params = [], []
    for index, rows in enumerate(inserts):
        fields = _columns(rows[0])
        table, columns = _names(type(rows[0]), rows[0].pk is not None)
        clauses.append(
            f"inserted_{index} AS (INSERT INTO {table} ({columns}) "  # noqa: S608  # nosec B608 - names from model metadata, quoted; the rows are one parameter
            f"SELECT {columns} FROM jsonb_populate_recordset(NULL::{table}, %s::jsonb))"
        )
        params.append(json.dumps([_as_json(row, fields) for row in rows], default=_json_scalar))
    return (f"WITH {', '.join(clauses)} " if clauses else ""), params


def _as_json(row, fields):
    """``row``'s column values as ``save()`` would write them, in JSON that PostgreSQL reads back exactly."""
    values = {}
    for field in fields:
        value = field.get_prep_value(field.pre_save(row, True))
        if isinstance(field, JSONField) and value is not None:
            value = json.loads(json.dumps(value, cls=field.encoder))  # the field's own encoding
        values[field.column] = value
    return values


def _json_scalar(value):
    """Decimals as their exact text, dates and times in full (microseconds and offset kept)."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):  # datetime is a date
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not written by a posting")
