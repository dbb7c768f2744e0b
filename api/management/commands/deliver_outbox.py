import signal
import threading

from django.core.management.base import BaseCommand

from api import dispatcher, events


class Command(BaseCommand):
    help = (
        "Deliver the outbox (money events, emails) as events commit, until SIGTERM or Ctrl-C. "
        "--once drains what is pending and exits; --retry-given-up first puts given-up events back in line."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="drain what is pending now, then exit")
        parser.add_argument("--retry-given-up", action="store_true", help="deliver given-up events again")

    def handle(self, *args, once=False, retry_given_up=False, **options):
        if retry_given_up:
            self.stdout.write(f"{events.retry_given_up()} given-up events back in line")
        if once:
            self.stdout.write(f"{events.drain()} events handled")
            return
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        total = dispatcher.run(stop)
        self.stdout.write(f"{total} events handled")
