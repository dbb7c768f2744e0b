"""A real Daphne serving the project, for tests that need real sockets.

The server is a subprocess on a listening socket the test bound to a free
loopback port (handed over with ``--fd``), with the Redis channel layer, tasks
run inline, and emails written to files so the test signs in through the real
login API with the code the server mailed. Its database is the test
PostgreSQL database (the test must be transactional, so the server sees
committed rows), or on SQLite a copy of a migrated file.
"""
import email
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis
import requests
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("LIVE_REDIS_URL", "redis://127.0.0.1:6379/2")
STAFF_EMAIL = "live-staff@nexus.test"
PASSWORD = "Live-Test-Passw0rd!"  # noqa: S105
CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
START_SECONDS = 60
# Shared by every server of the run, so a token from one process is good in another.
SECRET_KEY = secrets.token_urlsafe(50)


def server_env(database_url, mail_dir, **extra):
    """Production-like settings (no debug), with the test-only overrides of live_settings."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "api.tests.live_settings",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": database_url,
        "REDIS_URL": REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "API_THROTTLING": "off",
        "LIVE_EMAIL_DIR": str(mail_dir),
        "DJANGO_SUPERUSER_EMAIL": STAFF_EMAIL,
        "DJANGO_SUPERUSER_PASSWORD": PASSWORD,
        "PYTHONUNBUFFERED": "1",
        **extra,
    }
    env.pop("NEXUS_TESTING", None)
    return env


def manage(env, *args):
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def fresh_redis():
    """Empty this run's Redis database (groups, cache) so no server sees an earlier one's."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_timeout=5).flushdb()
    except redis.ConnectionError as error:
        pytest.fail(f"live server tests need Redis at {REDIS_URL} ({error}); `make services` starts it")


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory):
    """One migrated SQLite file with the staff user; each server gets a copy."""
    path = tmp_path_factory.mktemp("live-db") / "template.sqlite3"
    env = server_env(f"sqlite:///{path}", path.parent)
    manage(env, "migrate", "--noinput")
    manage(env, "createsuperuser", "--noinput")
    return path


@pytest.fixture
def live_database(request, tmp_path):
    """A database URL for the server, with the staff user in it."""
    if connection.vendor != "postgresql":
        copy = tmp_path / "db.sqlite3"
        shutil.copy(request.getfixturevalue("migrated_sqlite"), copy)
        return f"sqlite:///{copy}"
    request.getfixturevalue("transactional_db")
    from nexus.testing.factories import UserFactory

    UserFactory(email=STAFF_EMAIL, password=PASSWORD, is_staff=True, is_superuser=True)
    database = connection.settings_dict
    password = f":{database['PASSWORD']}" if database["PASSWORD"] else ""
    return f"postgres://{database['USER']}{password}@{database['HOST']}:{database['PORT']}/{database['NAME']}"


@dataclass
class LiveServer:
    url: str
    ws_url: str
    mail_dir: Path
    log: Path

    def call(self, method, path, token=None, **kwargs):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.request(method, self.url + path, headers=headers, timeout=30, **kwargs)

    def register(self, email_address):
        body = {"email": email_address, "password": PASSWORD, "re_password": PASSWORD, "first_name": "Live"}
        response = self.call("POST", "/auth/users/", json=body)
        assert response.status_code == 201, response.text
        return response.json()["id"]

    def login(self, email_address, password=PASSWORD):
        """Sign in in two steps, with the code read from the server's email."""
        response = self.call("POST", "/auth/login/init/", json={"email": email_address, "password": password})
        assert response.status_code == 200, response.text
        code = self.last_code_for(email_address)
        response = self.call("POST", "/auth/login/verify/", json={"email": email_address, "code": code})
        assert response.status_code == 200, response.text
        return response.json()

    def last_code_for(self, email_address):
        codes = []
        for path in sorted(self.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime):
            for raw in path.read_text().split("-" * 79):
                message = email.message_from_string(raw.strip())
                if message["To"] == email_address:
                    codes += CODE.findall(message.get_payload(decode=True).decode())
        assert codes, f"no code was mailed to {email_address}"
        return codes[-1]

    def socket_url(self, token, path="/ws/notifications/"):
        return f"{self.ws_url}{path}?token={token}"

    def errors_logged(self):
        return "Traceback" in self.log.read_text()


def _wait_until_healthy(url, process, log):
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"daphne exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            if requests.get(url + "/api/health/", timeout=10).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"daphne did not answer within {START_SECONDS} s:\n{log.read_text()[-3000:]}")


@contextmanager
def daphne(database_url, directory, **extra_env):
    """Run Daphne on a free loopback port until the block ends."""
    mail_dir = directory / "mail"
    mail_dir.mkdir(exist_ok=True)
    log = directory / f"daphne-{secrets.token_hex(4)}.log"
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    port = listener.getsockname()[1]
    env = server_env(database_url, mail_dir, **extra_env)
    command = [sys.executable, "-m", "daphne", "--fd", str(listener.fileno()), "nexus.asgi:application"]
    with open(log, "w") as output:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT, pass_fds=[listener.fileno()]
        )
    listener.close()
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until_healthy(url, process, log)
        yield LiveServer(url=url, ws_url=f"ws://127.0.0.1:{port}", mail_dir=mail_dir, log=log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture
def daphne_server(live_database, tmp_path):
    """A real Daphne with the Redis channel layer (fixture for tests that import it)."""
    fresh_redis()
    with daphne(live_database, tmp_path) as server:
        yield server
