"""Sessions of the admin and the Google hand-off, the append-only ledger, the outbox, daily totals.

One migration for what the 2026-11-30 work added (squashed while the project is young; it
replaces 0003-0006 of that day, so a database that applied them keeps its state):

- an ``admin`` login-session source, and the Google hand-off code tied to its session;
- on PostgreSQL, the database itself refuses to UPDATE or DELETE a ledger entry.
  Corrections are new entries (a reversal), never edits. The one exception is the demo
  reset (business/demo/reset.py), which deletes the demo's own entries: it sets
  ``nexus.ledger_purge = 'on'`` for its DELETE only, inside its transaction
  (``set_config(..., true)``), and the trigger lets a DELETE through in that case; an
  UPDATE never. TRUNCATE (the test database flush) fires no row trigger. SQLite has no
  such trigger;
- the transactional outbox of money events;
- each account's running total of today's outgoing amounts (the daily limit under the
  row lock).
"""
import django.core.serializers.json
import django.db.models.deletion
from django.db import migrations, models

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
    replaces = [
        ("api", "0003_auth_perimeter"),
        ("api", "0004_ledger_append_only"),
        ("api", "0005_outbox"),
        ("api", "0006_account_outgoing_running_total"),
    ]

    dependencies = [("api", "0002_system_accounts_and_billers")]

    operations = [
        migrations.AddField(
            model_name='sociallogincode',
            name='session',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+', to='api.authsession'),
        ),
        migrations.AlterField(
            model_name='authsession',
            name='source',
            field=models.CharField(choices=[('password', 'Password'), ('google', 'Google'), ('admin', 'Admin'), ('other', 'Other')], default='password', max_length=10),
        ),
        migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP)),
        migrations.CreateModel(
            name='OutboxEvent',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(max_length=32)),
                ('model', models.CharField(max_length=32)),
                ('object_id', models.BigIntegerField()),
                ('payload', models.JSONField(default=dict, encoder=django.core.serializers.json.DjangoJSONEncoder)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('delivered_at', models.DateTimeField(blank=True, null=True)),
                ('attempts', models.PositiveSmallIntegerField(default=0)),
            ],
            options={
                'ordering': ['id'],
                'indexes': [models.Index(condition=models.Q(('delivered_at__isnull', True)), fields=['id'], name='outbox_undelivered')],
            },
        ),
        migrations.AddField(
            model_name='account',
            name='outgoing_day',
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='account',
            name='outgoing_total',
            field=models.DecimalField(decimal_places=2, default=0, editable=False, max_digits=14),
        ),
    ]
