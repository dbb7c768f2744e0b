"""Accounts, cards, notifications and staff actions on users/accounts (under /api/)."""
from django.urls import path

from api.views import accounts, admin_actions, notifications

urlpatterns = [
    path("accounts", accounts.AccountListCreateNoSlashView.as_view(), name="account-list-no-slash"),
    path("accounts/", accounts.AccountListCreateView.as_view(), name="account-list"),
    path("accounts/<account_number:account_number>/", accounts.AccountDetailView.as_view(), name="account-detail"),
    path("accounts/<account_number:account_number>/cards/", accounts.AccountCardsView.as_view(), name="account-cards"),
    path("cards/<int:pk>/", accounts.CardDetailView.as_view(), name="card-detail"),
    path("notifications/", notifications.NotificationListView.as_view(), name="notification-list"),
    path("notifications/read-all/", notifications.NotificationReadAllView.as_view(), name="notification-read-all"),
    path("notifications/<int:pk>/read/", notifications.NotificationReadView.as_view(), name="notification-read"),
    path("admin/accounts/", admin_actions.AdminAccountListView.as_view(), name="admin-account-list"),
    path(
        "admin/accounts/<account_number:account_number>/freeze/",
        admin_actions.FreezeAccountView.as_view(),
        name="admin-account-freeze",
    ),
    path(
        "admin/accounts/<account_number:account_number>/unfreeze/",
        admin_actions.UnfreezeAccountView.as_view(),
        name="admin-account-unfreeze",
    ),
    path("admin/users/<int:pk>/block/", admin_actions.BlockUserView.as_view(), name="admin-user-block"),
    path("admin/users/<int:pk>/unblock/", admin_actions.UnblockUserView.as_view(), name="admin-user-unblock"),
    path(
        "admin/users/<int:pk>/terminate-session/",
        admin_actions.TerminateSessionView.as_view(),
        name="admin-user-terminate-session",
    ),
]
