"""On PostgreSQL, the database itself refuses to UPDATE or DELETE a ledger entry.

Corrections are new entries (a reversal), never edits. The one exception is
the demo reset (business/demo/reset.py), which deletes the demo's own
entries: it sets ``nexus.ledger_purge = 'on'`` for its DELETE only, inside
its transaction (``set_config(..., true)``), and the trigger lets a DELETE
through in that case; an UPDATE never. TRUNCATE (the test database flush)
fires no row trigger. SQLite has no such trigger: this migration is a no-op
there.
"""
from django.db import migrations

CREATE = [
    """
CREATE OR REPLACE FUNCTION api_ledgerentry_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('nexus.ledger_purge', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'ledger entries are append-only: % of entry % refused', TG_OP, OLD.id
        USING ERRCODE = 'restrict_violation';
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER api_ledgerentry_append_only
    BEFORE UPDATE OR DELETE ON api_ledgerentry
    FOR EACH ROW EXECUTE FUNCTION api_ledgerentry_append_only()
""",
]

DROP = [
    "DROP TRIGGER IF EXISTS api_ledgerentry_append_only ON api_ledgerentry",
    "DROP FUNCTION IF EXISTS api_ledgerentry_append_only()",
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)  # no placeholders: the body's % stays literal

    return run


class Migration(migrations.Migration):
    dependencies = [("api", "0003_auth_perimeter")]

    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
