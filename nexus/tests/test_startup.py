"""Without DJANGO_SECRET_KEY outside debug, nothing serves; commands that sign nothing still run (API.md §12)."""
import os
import subprocess  # nosec B404  # runs this project's own entry points
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REFUSAL = "DJANGO_SECRET_KEY is required unless DJANGO_DEBUG=true."


def run(tmp_path, *argv, **extra_env):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SECRET_KEY", "DJANGO_DEBUG", "NEXUS_TESTING")}
    env.pop("REDIS_URL", None)
    env.update(DJANGO_SETTINGS_MODULE="nexus.settings", DATABASE_URL=f"sqlite:///{tmp_path}/db.sqlite3", **extra_env)
    return subprocess.run([sys.executable, *argv], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)  # nosec B603


def test_models_and_migrations_agree_without_a_secret(tmp_path):
    done = run(tmp_path, "manage.py", "makemigrations", "--check", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "No changes detected" in done.stdout


@pytest.mark.parametrize("module", ["nexus.wsgi", "nexus.asgi"])
def test_web_entry_points_refuse_to_start_without_a_secret(tmp_path, module):
    refused = run(tmp_path, "-c", f"import {module}")
    assert refused.returncode != 0 and REFUSAL in refused.stderr
    assert run(tmp_path, "-c", f"import {module}", DJANGO_SECRET_KEY="s" * 50).returncode == 0


def test_the_celery_worker_refuses_to_start_without_a_secret(tmp_path):
    refused = run(tmp_path, "-m", "celery", "-A", "nexus", "worker", "--pool", "solo", "--loglevel", "ERROR")
    assert refused.returncode != 0 and REFUSAL in refused.stderr
