from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from . import notify  # noqa: F401  (notification receivers on the money signals)
from .models import UserProfile


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="api.create_profile")
def create_profile(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        UserProfile.objects.get_or_create(
            user=instance, defaults={"first_name": instance.first_name, "last_name": instance.last_name}
        )
