"""The caller's notifications (API.md §6.4, 6.5)."""
import django_filters
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.response import Response
from rest_framework.views import APIView

from api.models import Notification
from api.selectors import notifications_of
from api.serializers.notifications import NotificationSerializer, UpdatedCountSerializer
from api.services.notifications import mark_all_read, mark_read


class NotificationFilter(django_filters.FilterSet):
    unread_only = django_filters.BooleanFilter(method="filter_unread_only")
    type = django_filters.ChoiceFilter(field_name="notification_type", choices=Notification.Type.choices)

    class Meta:
        model = Notification
        fields = ["unread_only", "type"]

    def filter_unread_only(self, queryset, name, value):
        return queryset.filter(is_read=False) if value else queryset


class OwnNotificationsMixin:
    serializer_class = NotificationSerializer
    queryset = Notification.objects.none()

    def get_queryset(self):
        return notifications_of(self.request.user)


class NotificationListView(OwnNotificationsMixin, generics.ListAPIView):
    filterset_class = NotificationFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]


class NotificationReadView(OwnNotificationsMixin, generics.GenericAPIView):
    """Mark one notification read; another user's id is 404."""

    @extend_schema(request=None, responses={200: NotificationSerializer})
    def post(self, request, *args, **kwargs):
        return Response(self.get_serializer(mark_read(self.get_object())).data)

    @extend_schema(
        request=None, responses={200: NotificationSerializer}, operation_id="notifications_read_partial_update"
    )
    def patch(self, request, *args, **kwargs):
        return self.post(request, *args, **kwargs)


class NotificationReadAllView(APIView):
    @extend_schema(request=None, responses={200: UpdatedCountSerializer})
    def post(self, request):
        return Response({"updated": mark_all_read(request.user)})
