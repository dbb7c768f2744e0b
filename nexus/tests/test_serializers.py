"""Serializers whose fields are built once per class still serve each instance with its own context."""
import pytest
from rest_framework.serializers import ModelSerializer

from api.serializers.accounts import AccountSerializer
from api.serializers.transactions import TransactionSerializer
from nexus.testing.money import make_account

pytestmark = pytest.mark.django_db


def test_interleaved_instances_each_use_their_own_context(user):
    account = make_account(user, "JOD", balance="100.00")
    account.refresh_from_db()
    in_usd = AccountSerializer(account, context={"preferred_currency": "USD"})
    in_eur = AccountSerializer(account, context={"preferred_currency": "EUR"})
    assert in_usd.fields["display_balance"] is not in_eur.fields["display_balance"]
    assert in_usd.data["display_balance"]["currency"] == "USD"
    assert in_eur.data["display_balance"]["currency"] == "EUR"
    assert AccountSerializer(account).data["display_balance"] == {"currency": "JOD", "amount": "100.00"}


def test_the_fields_built_once_are_the_ones_drf_builds(user):
    account = make_account(user, "JOD")
    built_once = AccountSerializer(account).fields
    for serializer in (AccountSerializer, TransactionSerializer):
        fresh = ModelSerializer.get_fields(serializer(account))  # DRF's own, built again
        cached = serializer(account).get_fields()
        assert list(cached) == list(fresh)
        for name, field in cached.items():
            assert type(field) is type(fresh[name]), name
            assert (field.read_only, field.required, field.allow_null) == (
                fresh[name].read_only, fresh[name].required, fresh[name].allow_null), name
    assert built_once["balance"].parent is not None
