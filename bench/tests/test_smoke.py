"""Smoke runs of the bench scripts (a few seconds of load, tiny data) so the benchmarks never rot.

transfers.py and crash.py start the production server stack on PostgreSQL
with Redis, so they run once, in the PostgreSQL pass of the suite
(``DATABASE_URL`` on PostgreSQL). The in-process scripts (dashboards, seed,
transfer queries) run in both passes: on a throwaway SQLite file, or on
PostgreSQL. Every run uses databases of its own (``bench_smoke_*_<pid>``),
dropped at the end; the summary-line helpers are checked everywhere.
"""
import os
import re
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

BENCH = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BENCH))
import common  # noqa: E402

DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://"))
needs_postgres = pytest.mark.skipif(
    not ON_POSTGRES, reason="bench smoke runs start the server stack on PostgreSQL: set DATABASE_URL=postgres://..."
)
TRANSFERS_LINE = re.compile(
    r"^transfers_per_s=(?P<tps>[\d.]+) sustained_per_s=[\d.]+ cpu_ms_per_transfer=(?P<cpu>[\d.]+) p50_ms=[\d.]+ "
    r"p99_ms=[\d.]+ errors=(?P<errors>\d+) ledger=(?P<ledger>ok|FAILED)$"
)
DASHBOARDS_LINE = re.compile(r"^SUMMARY dashboards worst p99: 200 tx → [\d.]+ ms, 2000 tx → [\d.]+ ms$")
SEED_LINE = re.compile(r"^SUMMARY seed 3 days × 3 users: (sqlite|postgresql) [\d.]+s$")
QUERIES_LINE = re.compile(r"^summary: max (?P<worst>\d+) queries per transfer on the money path incl\. auth ")
CRASH_LINE = re.compile(
    r"^crashes=(?P<crashes>\d+) acknowledged=(?P<acked>\d+) lost=(?P<lost>\d+) lost_effects=(?P<lost_effects>\d+) "
    r"ledger=(?P<ledger>ok|FAILED)$"
)


# Databases of this run only (``bench_smoke_<script>_<pid>``), dropped when the module ends.
RUN_DATABASES = set()


def bench_url(name):
    database = f"{name}_{os.getpid()}"
    RUN_DATABASES.add(database)
    return common.with_database(DATABASE_URL, database)


@pytest.fixture(scope="module", autouse=True)
def _drop_run_databases():
    yield
    for database in sorted(RUN_DATABASES):
        for name in (database, f"{database}_pgbench"):
            common.psql(DATABASE_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_script(*argv, timeout=300):
    """Run a bench script; return its last output line (stdout and stderr kept for the failure message)."""
    done = subprocess.run([sys.executable, *argv], cwd=BENCH.parent, capture_output=True, text=True, timeout=timeout)
    lines = done.stdout.strip().splitlines()
    assert done.returncode == 0 and lines, f"exit {done.returncode}\n{done.stdout}\n{done.stderr[-3000:]}"
    return lines[-1], done.stdout


@pytest.fixture(scope="module")
def redis_up():
    parts = urlsplit(os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11"))
    try:
        socket.create_connection((parts.hostname, parts.port or 6379), timeout=2).close()
    except OSError as error:
        pytest.fail(f"the bench server stack needs Redis ({error}); `make services` starts it")


@pytest.mark.postgres
@needs_postgres
def test_transfers_smoke_ends_with_the_summary_line(redis_up):
    last, output = run_script(
        "bench/transfers.py", "--database-url", bench_url("bench_smoke_transfers"), "--recreate",
        "--clients", "2", "--seconds", "2", "--smoke", "--workers", "1", "--threads", "2",
    )
    match = TRANSFERS_LINE.match(last)
    assert match, output
    assert float(match["tps"]) > 0 and float(match["cpu"]) > 0, output
    assert (match["errors"], match["ledger"]) == ("0", "ok"), output


@pytest.fixture(scope="module")
def crash_run(redis_up):
    """One crash smoke run (its exit status is 1 when anything was lost), read by the two checks below."""
    argv = ["bench/crash.py", "--database-url", bench_url("bench_smoke_crash"), "--clients", "2", "--smoke",
            "--workers", "1", "--threads", "2"]
    done = subprocess.run([sys.executable, *argv], cwd=BENCH.parent, capture_output=True, text=True, timeout=300)
    lines = done.stdout.strip().splitlines()
    match = CRASH_LINE.match(lines[-1]) if lines else None
    assert match, f"exit {done.returncode}\n{done.stdout}\n{done.stderr[-3000:]}"
    assert int(match["crashes"]) == 2 and int(match["acked"]) > 0, done.stdout
    return match, done.stdout


@pytest.mark.postgres
@needs_postgres
def test_crash_smoke_loses_no_money(crash_run):
    match, output = crash_run
    assert (match["lost"], match["ledger"]) == ("0", "ok"), output


@pytest.mark.postgres
@needs_postgres
def test_crash_smoke_loses_no_side_effect(crash_run):
    """Hard again: the rules' lost incident was a deadlock between delivering batches that the rules swallowed."""
    match, output = crash_run
    assert match["lost_effects"] == "0", output


def database_args(name):
    """The in-process scripts: this pass's PostgreSQL server, or their own throwaway SQLite file."""
    return ["--database-url", bench_url(name)] if ON_POSTGRES else []


def test_dashboards_smoke_times_every_endpoint():
    last, output = run_script("bench/dashboards.py", "--smoke", *database_args("bench_smoke_dashboards"))
    assert DASHBOARDS_LINE.match(last), output
    assert output.count("/business/overview/") == 2 and output.count("/risk/kpis/") == 2, output


def test_seed_smoke_ends_with_the_summary_line():
    skip_sqlite = ["--skip-sqlite"] if ON_POSTGRES else []
    last, output = run_script("bench/seed.py", "--smoke", *skip_sqlite, *database_args("bench_smoke_seed"))
    assert SEED_LINE.match(last), output


def test_transfer_queries_smoke_stays_within_the_query_target():
    last, output = run_script("bench/transfer_queries.py", "--smoke", *database_args("bench_smoke_queries"))
    match = QUERIES_LINE.match(last)
    assert match and int(match["worst"]) <= 8, output  # issue 13: ≤ 8 on the request path
    assert "CPU-ms per transfer" in output, output


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert common.percentile(values, 0.5) == 50
    assert common.percentile(values, 0.99) == 99
    assert common.percentile([7.0], 0.99) == 7.0
    assert common.percentile([], 0.5) == 0.0


def test_only_business_refusals_are_not_errors():
    assert common.is_business_refusal(400, '{"code": "insufficient_funds", "detail": "x"}')
    assert not common.is_business_refusal(400, '{"code": "validation_error", "detail": "x"}')
    assert not common.is_business_refusal(500, '{"code": "insufficient_funds"}')
    assert not common.is_business_refusal(400, "<html>Bad Request</html>")


def test_bench_databases_stay_off_shared_ones():
    url = "postgres://postgres@127.0.0.1:5432/postgres"
    assert common.with_database(url, "bench_x") == "postgres://postgres@127.0.0.1:5432/bench_x"
    for name in ("postgres", "test_nexus", "h_someone"):
        with pytest.raises(SystemExit):
            common.recreate_database(common.with_database(url, name))
