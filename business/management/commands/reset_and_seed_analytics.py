import time
from datetime import timedelta

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from api.services.ledger import verify_ledger
from business.demo import reset
from business.demo.simulate import DEMO_PASSWORD, STAFF_EMAIL, DemoSeeder, Options
from business.metrics.days import business_date
from business.metrics.rebuild import rebuild
from business.serializers import parse_date

DEFAULT_DAYS = 120


class Command(BaseCommand):
    help = (
        "Delete demo data and analytics in the range, generate deterministic demo customers, accounts, deposits, "
        "transfers, bills, logins and incidents with the API's money arithmetic and rules, then rebuild the metrics."
    )

    def add_arguments(self, parser):
        parser.add_argument("--start", help="YYYY-MM-DD (default: 119 days before --end)")
        parser.add_argument("--end", help="YYYY-MM-DD (default: today)")
        parser.add_argument("--users", type=int, default=50)
        parser.add_argument("--seed", type=int, default=42)
        parser.add_argument("--force", action="store_true", help="run even when DJANGO_DEBUG is off")

    def handle(self, *args, **options):
        if not (settings.DEBUG or options["force"]):
            raise CommandError("Refusing to seed demo data: set DJANGO_DEBUG=true or pass --force.")
        start, end = self._range(options)
        if options["users"] < 1:
            raise CommandError("--users must be at least 1.")
        began = time.monotonic()
        say = self.stdout.write
        say(f"Seeding {options['users']} demo customers, {start} → {end}, seed {options['seed']}")
        with transaction.atomic():
            reset.delete_demo_data()
            reset.delete_analytics(start, end)
            say(f"  removed earlier demo data ({time.monotonic() - began:.1f}s)")
            stats = DemoSeeder(Options(start=start, end=end, users=options["users"], seed=options["seed"]), log=say).run()
            say(f"  wrote {stats.transactions} transactions ({time.monotonic() - began:.1f}s); rebuilding metrics")
            rebuild(start, end, log=say)
            report = verify_ledger()
            if not report["ok"]:
                raise CommandError(f"Ledger check failed after seeding, nothing was kept: {report}")
        say(
            f"  {stats.users} customers, {stats.accounts} accounts, {stats.transfers} transfers "
            f"({stats.failed} failed), {stats.bills} bills, {stats.reversals} reversals, {stats.logins} logins, "
            f"{stats.incidents} incidents; {stats.refused} attempts refused without a record (limits, reversals)"
        )
        say("  ledger verified: ok")
        self.stdout.write(self.style.SUCCESS(
            f"Done in {time.monotonic() - began:.1f}s. Staff: {STAFF_EMAIL} / {DEMO_PASSWORD}; "
            f"customers: customer001@{reset.DEMO_DOMAIN} … / {DEMO_PASSWORD}"
        ))

    def _range(self, options):
        try:
            end = parse_date(options["end"], "end") if options["end"] else business_date()
            start = parse_date(options["start"], "start") if options["start"] else end - timedelta(days=DEFAULT_DAYS - 1)
        except Exception as exc:
            raise CommandError("Dates must be YYYY-MM-DD.") from exc
        if start > end:
            raise CommandError("--start must not be after --end.")
        return start, end
