from rest_framework import serializers

from api.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Notification
        fields = ["id", "message", "notification_type", "is_read", "related_transaction", "created_at"]
        read_only_fields = fields


class UpdatedCountSerializer(serializers.Serializer):
    updated = serializers.IntegerField()
