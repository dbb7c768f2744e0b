"""The web app is served at / with a fallback to its index page, never over the API."""
import re

import pytest
from django.conf import settings
from django.test import override_settings
from drf_spectacular.generators import SchemaGenerator

INDEX = '<!doctype html><html><head><title>Nexus Bank</title></head><body><div id="root"></div></body></html>'


@pytest.fixture
def built_app(tmp_path, settings):
    (tmp_path / "index.html").write_text(INDEX, encoding="utf-8")
    settings.FRONTEND_DIST = tmp_path
    return tmp_path


@pytest.mark.parametrize("path", ["/", "/transfer", "/statement/123456789012", "/staff/risk/", "/auth/social/success"])
def test_app_routes_get_the_index_page_with_a_strict_policy(client, built_app, path):
    response = client.get(path, HTTP_HOST="127.0.0.1:8000")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert '<div id="root">' in response.content.decode()
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "connect-src 'self' ws://127.0.0.1:8000 wss://127.0.0.1:8000" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    "path",
    ["/api/nothing-here/", "/auth/nothing/", "/risk/nothing/", "/business/nothing/", "/admin-nope/x.js", "/assets/missing-abcdefgh.js"],
)
def test_server_prefixes_and_missing_files_are_not_answered_by_the_app(client, built_app, path):
    response = client.get(path)

    assert response.status_code == 404
    assert '<div id="root">' not in response.content.decode()


@pytest.mark.django_db
def test_the_api_keeps_its_own_answers(client, built_app):
    assert client.get("/api/health/").json()["status"] == "ok"
    assert client.get("/auth/users/me/").json()["code"] == "not_authenticated"


def test_an_unbuilt_app_says_how_to_build_it(client, tmp_path, settings):
    settings.FRONTEND_DIST = tmp_path / "missing"

    response = client.get("/")

    assert response.status_code == 503
    assert "npm run build" in response.content.decode()


def test_writes_to_the_app_route_are_refused(client, built_app):
    assert client.post("/transfer").status_code == 405


@override_settings(GOOGLE_SIGN_IN_ENABLED=True)
def test_google_sign_in_is_announced_to_the_app_only_when_configured(client, built_app):
    assert 'name="nexus-google-sign-in"' in client.get("/").content.decode()


def test_no_google_sign_in_without_credentials(client, built_app):
    assert "nexus-google-sign-in" not in client.get("/").content.decode()


def _client_paths():
    """Every server path the web app's API client names, `${param}` parts as a wildcard."""
    api_dir = settings.BASE_DIR / "frontend" / "src" / "api"
    source = "\n".join(path.read_text(encoding="utf-8") for path in api_dir.glob("*.ts") if ".test." not in path.name)
    literals = re.findall(r"[\"`](/(?:api|auth|risk|business)/[^\"`?]*)[\"`]", source)
    return sorted({re.sub(r"\$\{[^}]+\}", "{}", literal) for literal in literals})


@pytest.mark.parametrize("client_path", _client_paths())
def test_every_path_of_the_web_app_client_is_in_the_api_schema(client_path):
    schema_paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    pattern = re.compile("^" + re.escape(client_path).replace(r"\{\}", r"[^/]+") + "$")

    assert any(pattern.match(path) for path in schema_paths), f"{client_path} is not in /api/schema/"
