"""A login session with its user in one statement whose SQL is built once (SQLite and PostgreSQL).

Why: every authenticated request loads its token's session and user. Through
the ORM (``select_related("user").get(...)``) the query is compiled again on
every request, which costs about three times what running it does (1.6
against 0.5 CPU-ms on the benchmark machine, docs/BENCHMARKS.md). Here the
statement and its columns are made once per database, and the row becomes
model instances as the ORM would have made them (``columns.Columns``).
"""
from functools import cache

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import connections

from .columns import Columns
from .sessions import AuthSession


@cache
def _statement(using):
    quote = connections[using].ops.quote_name
    user_model = get_user_model()
    session, user = Columns(AuthSession, "s", using), Columns(user_model, "u", using)
    session_meta, user_meta = AuthSession._meta, user_model._meta
    user_fk = session_meta.get_field("user").column
    sql = (
        f"SELECT {session.sql}, {user.sql} FROM {quote(session_meta.db_table)} s "  # noqa: S608  # nosec B608 - names from model metadata, quoted; values are parameters
        f"INNER JOIN {quote(user_meta.db_table)} u ON u.{quote(user_meta.pk.column)} = s.{quote(user_fk)} "
        f"WHERE s.{quote(session_meta.pk.column)} = %s AND s.{quote(user_fk)} = %s"
    )
    return sql, session, user


def _db_value(field, value, connection):
    """``value`` as the database takes it for ``field``; ValidationError when malformed or out of range."""
    value = field.to_python(value)
    field.run_validators(value)
    return field.get_db_prep_value(value, connection)


def session_with_user(sid, user_id, using="default"):
    """The session ``sid`` of user ``user_id`` with ``.user`` loaded, or None (also for a malformed id)."""
    connection = connections[using]
    sql, session_columns, user_columns = _statement(using)
    try:
        params = [
            _db_value(AuthSession._meta.pk, sid, connection),
            _db_value(user_columns.model._meta.pk, user_id, connection),
        ]
    except (ValidationError, TypeError, ValueError):
        return None
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    split = len(session_columns.fields)
    session = session_columns.instance(row[:split])
    session.user = user_columns.instance(row[split:])
    return session
