"""Health, schema, docs, request ids, CORS and the error body."""
import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import DatabaseError

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def test_health_ok(api_client):
    response = api_client.get("/api/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "risk_rule_errors": 0, "outbox_events_given_up": 0}


def test_health_reports_unreachable_database(api_client):
    with mock.patch("nexus.views.connection.cursor", side_effect=DatabaseError("down")):
        response = api_client.get("/api/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["database"] == "unreachable"
    assert body["code"] == "service_unavailable" and body["detail"]


def test_schema_yaml_and_json(api_client):
    response = api_client.get("/api/schema/")
    assert response.status_code == 200
    assert b"openapi: 3" in response.content
    assert b"/auth/login/init/" in response.content
    response = api_client.get("/api/schema/?format=json")
    assert response.status_code == 200
    paths = json.loads(response.content)["paths"]
    assert {"/auth/login/verify/", "/auth/jwt/refresh/", "/auth/logout/", "/api/health/"} <= set(paths)
    assert not any(path.startswith("/auth/jwt/create") for path in paths)


def test_swagger_ui(api_client):
    response = api_client.get("/api/docs/")
    assert response.status_code == 200
    assert b"swagger" in response.content.lower()


def test_request_id_is_echoed_or_made(api_client):
    assert api_client.get("/api/health/", HTTP_X_REQUEST_ID="abc-123").headers["X-Request-ID"] == "abc-123"
    made = api_client.get("/api/health/").headers["X-Request-ID"]
    assert len(made) == 32
    assert api_client.get("/api/health/", HTTP_X_REQUEST_ID="bad id\n").headers["X-Request-ID"] != "bad id\n"


def test_cors_allows_the_frontend_only(api_client):
    allowed = api_client.get("/api/health/", HTTP_ORIGIN="http://localhost:3000")
    assert allowed.headers["Access-Control-Allow-Origin"] == "http://localhost:3000"
    denied = api_client.get("/api/health/", HTTP_ORIGIN="http://evil.example")
    assert "Access-Control-Allow-Origin" not in denied.headers


def test_error_bodies(user_client, api_client):
    not_found = user_client.get("/auth/users/999999/")
    assert not_found.status_code == 404
    assert not_found.json()["code"] == "not_found" and not_found.json()["detail"]
    not_allowed = user_client.delete("/auth/logout/")
    assert not_allowed.status_code == 405
    assert not_allowed.json()["code"] == "method_not_allowed"
    malformed = api_client.post("/auth/login/init/", "{not json", content_type="application/json")
    assert malformed.status_code == 400
    body = malformed.json()
    assert body["code"] == "validation_error" and "non_field_errors" in body["errors"]


def test_check_deploy_is_clean_with_production_settings():
    env = {
        **os.environ,
        "DJANGO_SECRET_KEY": "x" * 30 + "-production-secret-with-enough-entropy-1234567890",
        "DJANGO_DEBUG": "false",
        "SECURE_SSL_REDIRECT": "true",
        "TRUST_PROXY_HEADERS": "true",
        "NEXUS_TESTING": "",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
