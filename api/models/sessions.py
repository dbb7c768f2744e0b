import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone


class AuthSessionQuerySet(models.QuerySet):
    def live(self):
        return self.filter(revoked_at__isnull=True, expires_at__gt=timezone.now())

    def live_for(self, sid, user):
        """The live session ``sid`` of an active ``user``, or None (also for a malformed id)."""
        try:
            return self.live().filter(pk=sid, user=user, user__is_active=True).first()
        except (ValidationError, ValueError):
            return None


class AuthSession(models.Model):
    """One login (one device): every token it issues carries its id as ``sid``.

    Revoking the row refuses all of that login's access and refresh tokens on
    their next use; this is how logout, block and terminate-session take
    effect at once in every server process. The Django sessions of the admin
    site and of the Google hand-off point at one too (``source`` admin or
    google), so the same revocation ends them on their next request.
    """

    class Source(models.TextChoices):
        PASSWORD = "password"  # noqa: S105 - a login source, not a secret
        GOOGLE = "google"
        ADMIN = "admin"
        OTHER = "other"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="auth_sessions")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PASSWORD)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = AuthSessionQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self):
        return f"{self.user} session {self.id}"
