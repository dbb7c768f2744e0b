from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Seed the default demo (reset_and_seed_analytics) only when there is no customer yet."

    def handle(self, *args, **options):
        if get_user_model().objects.filter(is_staff=False).exists():
            self.stdout.write("Customers exist: demo seed skipped.")
            return
        call_command("reset_and_seed_analytics", stdout=self.stdout)
