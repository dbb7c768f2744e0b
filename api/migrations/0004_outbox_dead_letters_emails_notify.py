"""The outbox's dead letters, emails in the outbox, and NOTIFY at each commit that writes events.

- ``given_up_at``: an event that failed OUTBOX_MAX_ATTEMPTS times is set aside instead of being
  marked delivered without its effects; the pending index leaves those out;
- ``model``/``object_id`` may be empty: an email event names no row;
- on PostgreSQL, a statement-level trigger NOTIFYs ``nexus_outbox`` after events are inserted.
  PostgreSQL sends it at COMMIT (never for a rolled-back transaction) and folds the identical
  notifications of one transaction into one, so the dispatcher (``manage.py deliver_outbox``)
  wakes once per commit, and the request pays no extra round trip. SQLite has no NOTIFY; the
  dispatcher polls there.
"""

from django.db import migrations, models


CREATE = [
    """
CREATE OR REPLACE FUNCTION api_outboxevent_notify() RETURNS trigger AS $$
BEGIN
    PERFORM pg_notify('nexus_outbox', '');
    RETURN NULL;
END;
$$ LANGUAGE plpgsql
""",
    """
CREATE TRIGGER api_outboxevent_notify
    AFTER INSERT ON api_outboxevent
    FOR EACH STATEMENT EXECUTE FUNCTION api_outboxevent_notify()
""",
]

DROP = [
    "DROP TRIGGER IF EXISTS api_outboxevent_notify ON api_outboxevent",
    "DROP FUNCTION IF EXISTS api_outboxevent_notify()",
]


def _on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql, params=None)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('api', '0003_sessions_ledger_guard_outbox_daily_totals'),
    ]

    operations = [
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP)),
        migrations.RemoveIndex(
            model_name='outboxevent',
            name='outbox_undelivered',
        ),
        migrations.AddField(
            model_name='outboxevent',
            name='given_up_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='outboxevent',
            name='model',
            field=models.CharField(blank=True, max_length=32),
        ),
        migrations.AlterField(
            model_name='outboxevent',
            name='object_id',
            field=models.BigIntegerField(blank=True, null=True),
        ),
        migrations.AddIndex(
            model_name='outboxevent',
            index=models.Index(condition=models.Q(('delivered_at__isnull', True), ('given_up_at__isnull', True)), fields=['id'], name='outbox_pending'),
        ),
    ]
