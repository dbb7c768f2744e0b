"""Rows of hand-written SQL turned into model instances exactly as the ORM makes them.

For the statements every request runs, whose SQL is built once
(``sessions_sql``, ``ledger_sql.lock_in_order``): compiling the equivalent
queryset on each request costs several times what running it does.
"""
from django.db import connections


class Columns:
    """The concrete fields of ``model`` selected under a table ``alias``, with their database converters."""

    def __init__(self, model, alias, using):
        connection = connections[using]
        quote = connection.ops.quote_name
        self.model, self.using = model, using
        self.fields = model._meta.concrete_fields
        self.attnames = [field.attname for field in self.fields]
        self.sql = ", ".join(f"{alias}.{quote(field.column)}" for field in self.fields)
        self.converters = []
        for index, field in enumerate(self.fields):
            column = field.get_col(alias)
            converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
            if converters:
                self.converters.append((index, column, converters))

    def instance(self, values):
        """A model instance of ``values`` (a row, or its slice for this model), converted as the ORM converts them."""
        connection = connections[self.using]
        values = list(values)
        for index, column, converters in self.converters:
            for converter in converters:
                values[index] = converter(values[index], column, connection)
        return self.model.from_db(self.using, self.attnames, values)
