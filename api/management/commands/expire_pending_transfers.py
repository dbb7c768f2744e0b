"""``expire_pending_transfers``: PENDING_OTP transfers whose code expired become FAILED (otp_expired)."""
from django.core.management.base import BaseCommand

from api.services.transfers import expire_pending_transfers


class Command(BaseCommand):
    help = "Fail PENDING_OTP transfers whose confirmation code has expired. Safe to run any time."

    def handle(self, *args, **options):
        count = expire_pending_transfers()
        self.stdout.write(f"{count} pending transfer(s) expired")
