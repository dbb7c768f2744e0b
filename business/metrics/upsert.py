"""Adding to many metric shard rows in one ``INSERT … ON CONFLICT DO UPDATE`` (PostgreSQL; SQLite ≥ 3.24).

Hand-written because Django's ``bulk_create(update_conflicts=True)`` can only
overwrite a column with the incoming value (``EXCLUDED.x``), not add to it.
Through the ORM a batch of events costs an UPDATE per touched shard row (and
a savepointed INSERT for a day's first event); here it is one statement per
batch, rows in key order so concurrent batches lock them in the same order.
"""
from django.db import connection

from business.models import MetricShard

from .figures import FIELDS

# SQLite's historical limit on bound parameters per statement.
MAX_PARAMETERS = 999


def add_to_shards(totals):
    """Add ``{(date, scope, shard): {counter: value}}`` to the shard rows, creating the missing ones."""
    if not totals:
        return
    meta = MetricShard._meta
    fields = [meta.get_field(name) for name in ("date", "scope", "shard", *FIELDS)]
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(field.column) for field in fields)
    row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
    adds = ", ".join(
        f"{quote(field.column)} = {table}.{quote(field.column)} + EXCLUDED.{quote(field.column)}" for field in fields[3:]
    )
    rows = [
        [field.get_db_prep_value(value, connection) for field, value in zip(fields, (*key, *(values.get(n, 0) for n in FIELDS)))]
        for key, values in sorted(totals.items())
    ]
    per_statement = max(1, MAX_PARAMETERS // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start:start + per_statement]
            cursor.execute(
                f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_sql] * len(chunk))} "  # noqa: S608  # nosec B608 - names from model metadata, quoted; values are parameters
                f"ON CONFLICT ({quote('date')}, {quote('scope')}, {quote('shard')}) DO UPDATE SET {adds}",
                [value for row in chunk for value in row],
            )
