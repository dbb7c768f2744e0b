import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEFAULT_EMAIL = "admin@nexus.local"
DEFAULT_PASSWORD = "Nexus-Admin-2026"  # noqa: S105 - local demo only, printed on purpose


class Command(BaseCommand):
    help = "Create (or reset) the local demo staff user and print its credentials."

    def handle(self, *args, **options):
        email = os.environ.get("DJANGO_SUPERUSER_EMAIL", DEFAULT_EMAIL)
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD", DEFAULT_PASSWORD)
        User = get_user_model()
        user = User.objects.filter(email__iexact=email).first() or User(email=email, first_name="Nexus", last_name="Admin")
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
        self.stdout.write(self.style.SUCCESS(f"Staff user: {email} / {password}"))
