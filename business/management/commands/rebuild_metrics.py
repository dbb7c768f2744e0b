from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from business.metrics.days import business_date
from business.metrics.rebuild import rebuild
from business.serializers import parse_date


class Command(BaseCommand):
    help = "Recompute business metrics for a date range from the source rows (default: the last 30 days)."

    def add_arguments(self, parser):
        parser.add_argument("--start", help="YYYY-MM-DD (default: 29 days before --end)")
        parser.add_argument("--end", help="YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        try:
            end = parse_date(options["end"], "end") if options["end"] else business_date()
            start = parse_date(options["start"], "start") if options["start"] else end - timedelta(days=29)
        except Exception as exc:
            raise CommandError("Dates must be YYYY-MM-DD.") from exc
        if start > end:
            raise CommandError("--start must not be after --end.")
        written = rebuild(start, end, log=self.stdout.write)
        self.stdout.write(self.style.SUCCESS(f"Rebuilt metrics {start} → {end}: {written} active day(s)."))
