"""``verify_ledger [--json]``: the §7.5 check from the shell; exit 1 when the ledger is not ok."""
import json

from django.core.management.base import BaseCommand, CommandError

from api.services.ledger import verify_ledger


class Command(BaseCommand):
    help = "Check the ledger invariants (per-currency zero sum, balances = entries, no negative customer balance)."

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="Print the report as JSON.")

    def handle(self, *args, **options):
        report = verify_ledger()
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2))
        else:
            self._print(report)
        if not report["ok"]:
            raise CommandError("Ledger check failed.", returncode=1)

    def _print(self, report):
        for row in report["currencies"]:
            state = "balanced" if row["balanced"] else "UNBALANCED"
            self.stdout.write(f"{row['currency']}: entries total {row['entries_total']} ({state})")
        self.stdout.write(f"accounts checked: {report['accounts_checked']}")
        for row in report["mismatched_accounts"]:
            self.stdout.write(
                f"mismatch {row['account_number']}: balance {row['balance']} != entries {row['entries_total']}"
            )
        for row in report["negative_customer_balances"]:
            self.stdout.write(f"negative customer balance {row['account_number']}: {row['balance']}")
        for txn_id in report["unbalanced_transactions"]:
            self.stdout.write(f"unbalanced transaction #{txn_id}")
        self.stdout.write("ledger ok" if report["ok"] else "ledger NOT ok")
