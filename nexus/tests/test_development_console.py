"""What a developer sees in the console under ``make run`` (DJANGO_DEBUG=true)."""
import os
import subprocess  # nosec B404  # runs this project's own settings
import sys
from pathlib import Path

import pytest

from nexus.celery import app
from nexus.testing.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
UNAUTHORIZED_TWICE = """
import django
django.setup()
from django.test import Client
Client().get("/auth/users/me/")
"""


def run_debug_python(tmp_path, code, **extra_env):
    env = {k: v for k, v in os.environ.items() if k not in ("NEXUS_TESTING", "REDIS_URL", "THROTTLE_LOGIN")}
    env.update(DJANGO_SETTINGS_MODULE="nexus.settings", DJANGO_DEBUG="true", DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3")
    env.update(extra_env)
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)  # nosec B603


def test_a_4xx_is_logged_once(tmp_path):
    done = run_debug_python(tmp_path, UNAUTHORIZED_TWICE, ALLOWED_HOSTS="testserver")
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("Unauthorized: /auth/users/me/") == 1, done.stderr


def test_the_development_server_allows_a_walk_through_of_logins(tmp_path):
    code = "import django; django.setup(); from django.conf import settings; print(settings.REST_FRAMEWORK['DEFAULT_THROTTLE_RATES']['login'])"
    assert run_debug_python(tmp_path, code).stdout.strip() == "30/min"
    assert run_debug_python(tmp_path, code, DJANGO_DEBUG="false", DJANGO_SECRET_KEY="s" * 50).stdout.strip() == "5/min"


@pytest.mark.django_db
def test_each_emailed_code_is_one_line_in_the_console(settings, api_client, user, capsys):
    settings.EMAIL_BACKEND = "nexus.mail.ConsoleEmailBackend"
    response = api_client.post("/auth/login/init/", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 200
    lines = [line for line in capsys.readouterr().out.splitlines() if "CODE for" in line]
    assert len(lines) == 1
    assert lines[0].startswith(f"LOGIN CODE for {user.email}: ")
    assert lines[0][-6:].isdigit()


def test_the_inline_broker_logs_no_warning(caplog):
    """Kombu warned "No hostname was supplied" for the in-memory broker of inline tasks."""
    with app.connection_for_write() as connection:
        connection.info()
    assert not [r for r in caplog.records if r.name.startswith("kombu")], caplog.text
