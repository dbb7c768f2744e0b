"""Fast inserts for the seed: rows as dicts of attnames, written with ``executemany`` and explicit ids.

The ORM's bulk_create spends most of its time preparing values one field at a
time; the seed writes hundreds of thousands of rows, so it builds plain tuples
instead (missing values take the model field's default) and resets the
PostgreSQL sequences afterwards.
"""
import json
from datetime import datetime

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max

BATCH = 5000


class RawTable:
    def __init__(self, model):
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields]
        self.columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        self.sql = (
            f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({self.columns}) "  # nosec B608  # noqa: S608 - names from model metadata, quoted; values are parameters
            f"VALUES ({', '.join(['%s'] * len(self.fields))})"
        )
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.next_id = (model.objects.aggregate(m=Max("pk"))["m"] or 0) + 1

    def new_id(self):
        value = self.next_id
        self.next_id += 1
        return value

    def _value(self, value):
        if isinstance(value, datetime):
            return connection.ops.adapt_datetimefield_value(value)
        if isinstance(value, (dict, list)):
            return json.dumps(value)
        return value

    def insert(self, rows):
        if not rows:
            return
        names = [f.attname for f in self.fields]
        defaults = self.defaults
        pk = self.model._meta.pk.attname
        for row in rows:
            if row.get(pk) is None:
                row[pk] = self.new_id()
        params = [tuple(self._value(row[n] if n in row else defaults[n]) for n in names) for row in rows]
        with transaction.atomic(), connection.cursor() as cursor:  # one commit, not one per row
            for i in range(0, len(params), BATCH):
                cursor.executemany(self.sql, params[i:i + BATCH])


def reset_sequences(*models):
    """After explicit ids, let PostgreSQL's sequences continue past them (no-op on SQLite)."""
    statements = connection.ops.sequence_reset_sql(no_style(), list(models))
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
