"""The schema reads well (areas, summaries, examples) and its pages need no network."""
import re

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.settings import spectacular_settings

# The operations a newcomer calls first: each shows a request and a response example.
MAIN_OPERATIONS = [
    ("post", "/auth/users/"),
    ("post", "/auth/login/init/"),
    ("post", "/auth/login/verify/"),
    ("post", "/auth/jwt/refresh/"),
    ("post", "/api/accounts/"),
    ("post", "/api/transfers/internal/"),
    ("post", "/api/transfers/external/"),
    ("post", "/api/transfers/confirm/"),
    ("post", "/api/bill/"),
    ("post", "/api/admin/accounts/{account_number}/deposit/"),
    ("post", "/risk/analyze/"),
    ("post", "/business/ai/advisor/"),
]
EXTERNAL_URL = re.compile(rb"""(?:src|href)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def operations(schema):
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            yield method, path, operation


def test_every_operation_has_a_summary_a_description_and_an_area(schema):
    areas = {tag["name"] for tag in spectacular_settings.TAGS}
    for method, path, operation in operations(schema):
        assert operation.get("summary"), (method, path)
        assert operation.get("description"), (method, path)
        assert len(operation["tags"]) == 1 and operation["tags"][0] in areas, (method, path, operation["tags"])


def test_the_main_operations_have_request_and_response_examples(schema):
    for method, path in MAIN_OPERATIONS:
        operation = schema["paths"][path][method]
        assert operation["requestBody"]["content"]["application/json"].get("examples"), (method, path)
        successes = [body for code, body in operation["responses"].items() if code.startswith("2")]
        assert any(body["content"]["application/json"].get("examples") for body in successes), (method, path)


def test_errors_are_documented_with_the_contract_body(schema):
    for method, path, operation in operations(schema):
        body = operation["responses"]["400"]["content"]["application/json"]["schema"]
        assert body == {"$ref": "#/components/schemas/ValidationError"}, (method, path)
    refused = schema["paths"]["/api/transfers/external/"]["post"]["responses"]["400"]["content"]["application/json"]
    assert refused["examples"]["InsufficientFunds"]["value"]["code"] == "insufficient_funds"


def test_amounts_are_decimal_strings(schema):
    amount = schema["components"]["schemas"]["ExternalTransferRequest"]["properties"]["amount"]
    assert amount["type"] == "string" and amount["format"] == "decimal" and amount["pattern"]


@pytest.mark.parametrize("page", ["/api/docs/", "/api/redoc/"])
def test_docs_pages_load_nothing_from_another_host(api_client, page):
    response = api_client.get(page)
    assert response.status_code == 200
    assert not EXTERNAL_URL.findall(response.content), response.content.decode()
    assets = re.findall(rb"""(?:src|href)\s*=\s*["'](/static/[^"']+)""", response.content)
    assert assets
    for asset in assets:  # shipped by drf-spectacular-sidecar, served as static files
        assert finders.find(asset.decode().removeprefix(settings.STATIC_URL)), asset
