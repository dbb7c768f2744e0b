"""The API's JSON parser (nexus/parsers.py): exact numbers, bounded nesting, never a 500."""
from decimal import Decimal
from io import BytesIO

import pytest
from django.test import override_settings
from rest_framework.exceptions import ParseError

from nexus.parsers import ExactJSONParser, nesting_depth

pytestmark = pytest.mark.django_db


def parse(text):
    return ExactJSONParser().parse(BytesIO(text.encode()), "application/json", {})


def nested(depth):
    return "[" * (depth - 1) + '{"a": 1}' + "]" * (depth - 1)


def test_fractions_are_exact_decimals_and_integers_stay_integers():
    data = parse('{"amount": 1.0000000000000000000001, "page_size": 20, "big": 12345678901234567890}')
    assert data == {"amount": Decimal("1.0000000000000000000001"), "page_size": 20, "big": 12345678901234567890}
    assert type(data["page_size"]) is int


@pytest.mark.parametrize("text", ["NaN", "Infinity", "-Infinity", '{"a": NaN}', "1e999", '{"a": -1E400}'])
def test_non_finite_numbers_are_refused(text):
    with pytest.raises(ParseError):
        parse(text)


def test_exponent_notation_stays_a_float_that_money_fields_refuse():
    assert parse("[1E-2, 2.5e1]") == [0.01, 25.0]


def test_nesting_depth_counts_containers():
    assert [nesting_depth(v) for v in (1, [], {"a": [1, {"b": []}]})] == [0, 1, 4]


@override_settings(JSON_MAX_DEPTH=5)
def test_depth_up_to_the_setting_parses():
    assert nesting_depth(parse(nested(5))) == 5
    with pytest.raises(ParseError):
        parse(nested(6))


@pytest.mark.parametrize("depth", [33, 1000, 200_000])
def test_deep_bodies_are_a_400_not_a_500(user_client, depth):
    """Issue 12 finding 4: deep nesting used to end in a RecursionError (500)."""
    body = '{"sender_account": ' + nested(depth) + "}"
    response = user_client.post("/api/transfers/internal/", data=body, content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert "nested deeper than 32" in body["detail"]


def test_deep_body_to_an_anonymous_endpoint_is_a_400(api_client):
    response = api_client.post("/auth/login/init/", data=nested(10_000), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def test_depth_of_the_contract_bodies_is_accepted(user_client):
    response = user_client.post("/api/transfers/internal/", data=nested(32), content_type="application/json")
    assert response.status_code == 400
    assert "nested deeper" not in response.json()["detail"]
