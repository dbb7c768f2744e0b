"""Money endpoints under /api/: transfers, statements, bills, staff ledger operations."""
from django.urls import path

from api.views import bills, ledger_admin, transfers

urlpatterns = [
    path("transfers/internal/", transfers.InternalTransferView.as_view(), name="transfers-internal"),
    path("transfers/external/", transfers.ExternalTransferView.as_view(), name="transfers-external"),
    path("transfers/confirm/", transfers.ConfirmTransferView.as_view(), name="transfers-confirm"),
    path("transfers/<int:pk>/", transfers.TransferDetailView.as_view(), name="transfer-detail"),
    path(
        "accounts/<account_number:account_number>/transactions/",
        transfers.AccountStatementView.as_view(),
        name="account-transactions",
    ),
    path("billers/", bills.BillerListView.as_view(), name="billers"),
    path("bill/", bills.BillPaymentListView.as_view(), name="bills"),
    path("bill/<int:pk>/", bills.BillPaymentDetailView.as_view(), name="bill-detail"),
    path("admin/transactions/", ledger_admin.AdminTransactionListView.as_view(), name="admin-transactions"),
    path(
        "admin/transactions/<int:pk>/reverse/",
        ledger_admin.ReverseView.as_view(),
        name="admin-transaction-reverse",
    ),
    path(
        "admin/accounts/<account_number:account_number>/deposit/",
        ledger_admin.DepositView.as_view(),
        name="admin-account-deposit",
    ),
    path("admin/ledger/verify/", ledger_admin.LedgerVerifyView.as_view(), name="admin-ledger-verify"),
]
