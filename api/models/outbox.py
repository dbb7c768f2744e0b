from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q

# On PostgreSQL a statement-level trigger (migration 0004) sends this notification when events
# are inserted; PostgreSQL delivers it at COMMIT, once per transaction, to the dispatcher
# (``manage.py deliver_outbox``) listening for it: the request path never talks to a broker.
CHANNEL = "nexus_outbox"


class OutboxEventQuerySet(models.QuerySet):
    def pending(self):
        """Neither delivered nor given up: what a delivery still has to do."""
        return self.filter(delivered_at__isnull=True, given_up_at__isnull=True)


class OutboxEvent(models.Model):
    """A committed event waiting for (or past) delivery to its receivers.

    Written in the transaction that made it happen (a money movement, a login
    code), so an event exists exactly when its cause committed; ``api.events``
    delivers it after the commit and sets ``delivered_at`` in the same
    transaction as the receivers' writes. An event that failed
    ``OUTBOX_MAX_ATTEMPTS`` times is set aside with ``given_up_at`` (a
    dead letter: counted by /api/health/, listed in the admin, delivered
    again by ``manage.py deliver_outbox --retry-given-up``).
    """

    kind = models.CharField(max_length=32)  # an api.signals name, or "email"
    model = models.CharField(max_length=32, blank=True)  # "api.Transaction", "api.BillPayment", "" (no row)
    object_id = models.BigIntegerField(null=True, blank=True)
    # The row's state when the event happened (it may change before delivery), or what to send.
    payload = models.JSONField(default=dict, encoder=DjangoJSONEncoder)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    given_up_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    objects = OutboxEventQuerySet.as_manager()

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"], condition=Q(delivered_at__isnull=True, given_up_at__isnull=True), name="outbox_pending"
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.kind} {self.model}:{self.object_id}"
