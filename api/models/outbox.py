from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q


class OutboxEvent(models.Model):
    """A committed money event waiting for (or past) delivery to its receivers.

    Written in the money transaction itself, so an event exists exactly when
    its movement committed; ``api.events`` delivers it after the commit and
    sets ``delivered_at`` in the same transaction as the receivers' writes.
    """

    kind = models.CharField(max_length=32)  # the api.signals name
    model = models.CharField(max_length=32)  # "api.Transaction" or "api.BillPayment"
    object_id = models.BigIntegerField()
    # The row's state when the event happened (it may change before delivery).
    payload = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["id"], condition=Q(delivered_at__isnull=True), name="outbox_undelivered"),
        ]

    def __str__(self):
        return f"#{self.pk} {self.kind} {self.model}:{self.object_id}"
