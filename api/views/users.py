"""The contract's user endpoints (API.md §3.1–3.3), served by djoser's UserViewSet.

Only register, list, detail and ``me`` are routed: activation, e-mail and
password-reset flows are not part of the contract (users are active at once,
tokens never come from a password alone), so they are not exposed.
"""
from djoser.views import UserViewSet as DjoserUserViewSet
from rest_framework.filters import SearchFilter
from rest_framework.settings import api_settings

from api.services.users import delete_user


class UserViewSet(DjoserUserViewSet):
    # Staff find a customer by email or name (``?search=``); a customer's list is only themselves.
    filter_backends = [*api_settings.DEFAULT_FILTER_BACKENDS, SearchFilter]
    search_fields = ["email", "first_name", "last_name"]

    def get_object(self):
        """``/me/`` has no id in its URL; OPTIONS on it must not look one up."""
        if self.lookup_field not in self.kwargs:
            return self.get_instance()
        return super().get_object()

    def perform_destroy(self, instance):
        """djoser checked ``current_password``; the ledger decides whether the user may go (409)."""
        delete_user(instance)


user_list = UserViewSet.as_view({"get": "list", "post": "create"})
user_detail = UserViewSet.as_view(
    {"get": "retrieve", "put": "update", "patch": "partial_update", "delete": "destroy"}
)
user_me = UserViewSet.as_view({"get": "me", "put": "me", "patch": "me", "delete": "me"})
