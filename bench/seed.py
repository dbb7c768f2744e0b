"""Time the default demo seed (120 days × 50 users) on SQLite and, optionally, PostgreSQL.

    .venv/bin/python bench/seed.py [--days 120] [--users 50] [--database-url postgres://...] [--skip-sqlite] [--smoke]

Each run migrates a database, then times ``reset_and_seed_analytics --force``
(which deletes the previous demo, writes, rebuilds the metrics and verifies
the ledger). SQLite uses a fresh temporary file; PostgreSQL uses the URL as
given, created when missing (the command resets its own demo data there).
``--smoke`` seeds 3 days × 3 users. Ends with a one-line summary.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402


def manage(url, *args):
    env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "true"}
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True)
    if done.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    return done


def timed_seed(label, url, days, users):
    manage(url, "migrate", "--noinput", "-v0")
    end = date.today()
    start = end - timedelta(days=days - 1)
    began = time.perf_counter()
    out = manage(url, "reset_and_seed_analytics", "--force", "--start", str(start), "--end", str(end), "--users", str(users))
    seconds = time.perf_counter() - began
    print(f"[{label}] {out.stdout.strip().splitlines()[-2].strip()}")
    print(f"[{label}] seed took {seconds:.1f}s")
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--days", type=int, default=120)
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--database-url", help="PostgreSQL URL to time as well")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--smoke", action="store_true", help="3 days × 3 users (a quick check)")
    options = parser.parse_args()
    if options.smoke:
        options.days, options.users = 3, 3
    results = []
    if not options.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            results.append(("sqlite", timed_seed("sqlite", f"sqlite:///{tmp}/bench.db", options.days, options.users)))
    if options.database_url:
        common.ensure_database(options.database_url)
        results.append(("postgresql", timed_seed("postgresql", options.database_url, options.days, options.users)))
    summary = ", ".join(f"{name} {seconds:.1f}s" for name, seconds in results) or "nothing timed"
    print(f"SUMMARY seed {options.days} days × {options.users} users: {summary}")


if __name__ == "__main__":
    main()
