from django.conf import settings
from django.db import models

from .choices import NotificationType
from .ledger import Transaction


class Notification(models.Model):
    Type = NotificationType

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    message = models.CharField(max_length=500)
    notification_type = models.CharField(max_length=12, choices=Type.choices)
    is_read = models.BooleanField(default=False)
    related_transaction = models.ForeignKey(
        Transaction, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "is_read", "-created_at"])]

    def __str__(self):
        return f"{self.notification_type}: {self.message[:40]}"
