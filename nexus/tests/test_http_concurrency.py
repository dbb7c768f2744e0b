"""Concurrent use of the real servers, black-box over HTTP (issue 12).

The servers are started from the test run with bench/serve.py's ``ServerStack``
and driven from threads: Daphne on a migrated SQLite file in the SQLite pass
(the embedded default, as ``make run`` serves it); Daphne and gunicorn with the
psycopg pool, a Celery worker and Redis in the PostgreSQL pass, one after the
other on a database of the run's own, migrated once and dropped afterwards.
Every load asserts what a client sees: no 5xx, the balances its 201s imply,
``/api/health/`` 200 during and after, and on PostgreSQL no more connections
than the pools allow; the last test checks every 201 against the ledger and
runs ``verify_ledger``.
"""
import os
import re
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from decimal import Decimal
from email import message_from_bytes, policy
from pathlib import Path

import psycopg
import pytest
import requests

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))
import common  # noqa: E402
from serve import ServeConfig, ServerStack, manage, server_env  # noqa: E402

DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = DATABASE_URL.startswith(("postgres://", "postgresql://"))
REDIS_URL = os.environ.get("HTTP_TESTS_REDIS_URL", "redis://127.0.0.1:6379/5")
# (server mode, HTTP processes): what each pass starts.
SERVERS = [("daphne", 2), ("wsgi", 2)] if ON_POSTGRES else [("daphne", 1)]
POOL_MAX_SIZE = 4
THREADS = 20
TIMEOUT = 60
CODE = re.compile(r"(?<!\d)\d{6}(?!\d)")


@dataclass
class Server:
    stack: ServerStack
    prefix: str  # of its users' emails (common.prepare / common.dump)
    users: dict  # group name -> [user dicts from common.prepare]
    mail_dir: Path
    database_url: str
    staff: dict = field(default_factory=dict)  # {id, token} of a staff user
    created: list = field(default_factory=list)  # ids of the transfers answered 201

    def request(self, method, path, token=None, body=None):
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return requests.request(method, self.stack.base_url + path, json=body, headers=headers, timeout=TIMEOUT)

    def call(self, method, path, token=None, body=None):
        """(status, JSON body or None) of one request."""
        response = self.request(method, path, token, body)
        try:
            return response.status_code, response.json()
        except ValueError:
            return response.status_code, None

    def balance(self, user, number):
        status, body = self.call("GET", f"/api/accounts/{number}/", user["token"])
        assert status == 200, body
        return Decimal(body["balance"])


@pytest.fixture(scope="module")
def database_url(tmp_path_factory):
    """This run's database, migrated: on PostgreSQL named after the pass's (``postgres_http``), else a file."""
    if ON_POSTGRES:
        url = common.with_database(DATABASE_URL, f"{common.database_name(DATABASE_URL)}_http")
        common.recreate_database(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('http-db') / 'db.sqlite3'}"
    manage(server_env(url, redis_url=None), "migrate", "--noinput", capture=True)
    yield url
    if ON_POSTGRES:
        common.psql(url, f'DROP DATABASE IF EXISTS "{common.database_name(url)}" WITH (FORCE)')


@pytest.fixture(scope="module", params=SERVERS, ids=[mode for mode, _ in SERVERS])
def server(request, database_url, tmp_path_factory):
    mode, processes = request.param
    tmp = tmp_path_factory.mktemp(f"http-{mode}")
    config = ServeConfig(
        database_url=database_url, mode=mode, workers=processes, threads=4,
        redis_url=REDIS_URL if ON_POSTGRES else None, pool_max_size=POOL_MAX_SIZE, log_dir=tmp / "logs",
        extra_env={"EMAIL_FILE_PATH": str(tmp / "mail")},
    )
    stack = ServerStack(config)
    prefix = f"http-{mode}"
    prepared = common.prepare(stack.env, prefix, [
        {"name": "owner", "users": 1, "deposit": "5000.00"},
        {"name": "pair", "users": 2, "deposit": "1000.00"},
        {"name": "keyed", "users": 1, "deposit": "100.00"},
        {"name": "blocked", "users": 1, "deposit": "0"},
    ])
    users = {}
    for user in prepared["users"]:
        users.setdefault(user["group"], []).append(user)
    with stack:
        yield Server(stack, prefix, users, tmp / "mail", database_url, prepared["staff"])


class Watch:
    """While a load runs: ``/api/health/`` statuses and (PostgreSQL) the database's connection counts."""

    def __init__(self, server):
        self.server = server
        self.health = []
        self.connections = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()

    def _run(self):
        name = common.database_name(self.server.database_url)
        monitor = psycopg.connect(common.with_database(DATABASE_URL, "postgres"), autocommit=True) if ON_POSTGRES else None
        try:
            while not self._stop.is_set():
                self.health.append(self.server.call("GET", "/api/health/")[0])
                if monitor is not None:
                    self.connections.append(monitor.execute(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND backend_type = 'client backend'",
                        [name],
                    ).fetchone()[0])
                self._stop.wait(0.2)
        finally:
            if monitor is not None:
                monitor.close()


def run_together(jobs):
    """Run each callable on a thread of its own, all starting at once; their results in order."""
    barrier = threading.Barrier(len(jobs))

    def run(job):
        barrier.wait()
        return job()

    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        return list(pool.map(run, jobs))


def transfer(server, user, kind, sender, receiver, amount, key=None):
    receiver_field = "receiver_account" if kind == "internal" else "receiver_account_number"
    body = {"sender_account": sender, receiver_field: receiver, "amount": amount}
    if key:
        body["idempotency_key"] = key
    return server.call("POST", f"/api/transfers/{kind}/", user["token"], body)


def assert_served(server, watch, statuses):
    """No 5xx; health 200 all along and after; on PostgreSQL connections within the pools."""
    assert not [s for s in statuses if s >= 500], statuses
    assert watch.health and set(watch.health) == {200}, watch.health
    assert server.call("GET", "/api/health/")[0] == 200
    if ON_POSTGRES:
        limit = POOL_MAX_SIZE * server.stack.processes()
        assert watch.connections and max(watch.connections) <= limit, (max(watch.connections), limit)


def test_two_hundred_internal_transfers_from_twenty_threads_all_land(server):
    owner = server.users["owner"][0]
    first = owner["account"]
    status, opened = server.call("POST", "/api/accounts/", owner["token"], {"type": "Savings"})
    assert status == 201, opened
    second = opened["account_number"]
    status, seed = transfer(server, owner, "internal", first, second, "100.00")
    assert status == 201, seed
    # Half the threads send one way, half the other: both rows are contended all along.
    legs = [(first, second) if n % 2 == 0 else (second, first) for n in range(THREADS)]
    jobs = [lambda leg=leg: [transfer(server, owner, "internal", *leg, "1.00") for _ in range(10)] for leg in legs]

    with Watch(server) as watch:
        results = [answer for answers in run_together(jobs) for answer in answers]

    statuses = [status for status, _ in results]
    assert_served(server, watch, statuses)
    assert statuses == [201] * 200, statuses
    assert server.balance(owner, first) == Decimal("4900.00")
    assert server.balance(owner, second) == Decimal("100.00")
    server.created += [seed["id"]] + [body["id"] for _, body in results]


def test_fifty_requests_with_one_idempotency_key_debit_once(server):
    payer, payee = server.users["keyed"][0], server.users["pair"][0]
    before = server.balance(payer, payer["account"])
    key = uuid.uuid4().hex
    jobs = [lambda: transfer(server, payer, "external", payer["account"], payee["account"], "5.00", key)] * 50

    with Watch(server) as watch:
        results = run_together(jobs)

    statuses = sorted(status for status, _ in results)
    assert_served(server, watch, statuses)
    assert statuses == [200] * 49 + [201], statuses
    assert len({body["id"] for _, body in results}) == 1
    assert server.balance(payer, payer["account"]) == before - Decimal("5.05")
    server.created.append(results[0][1]["id"])


def register_and_log_in(server, index):
    """A new customer signs up and logs in with the code emailed to them; the statuses seen."""
    email = f"walk-in-{index}-{uuid.uuid4().hex[:8]}@example.com"
    password = f"Walk-in-{uuid.uuid4().hex}"
    statuses = []
    status, _ = server.call("POST", "/auth/users/", body={
        "email": email, "password": password, "re_password": password, "first_name": "Walk",
    })
    statuses.append(status)
    status, _ = server.call("POST", "/auth/login/init/", body={"email": email, "password": password})
    statuses.append(status)
    status, tokens = server.call("POST", "/auth/login/verify/", body={"email": email, "code": emailed_code(server, email)})
    statuses.append(status)
    assert status != 200 or tokens["access"]
    return statuses


def emailed_code(server, recipient, timeout=TIMEOUT):
    """The login code in the newest email to ``recipient`` (the file backend's directory)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for path in sorted(server.mail_dir.glob("*.log"), key=lambda p: p.stat().st_mtime, reverse=True):
            for chunk in path.read_bytes().split(b"-" * 79):
                message = message_from_bytes(chunk.strip(), policy=policy.default)
                if message["To"] == recipient:
                    return CODE.search(message.get_body().get_content()).group()
        time.sleep(0.2)
    raise AssertionError(f"no login code emailed to {recipient} within {timeout}s")


def test_two_users_sending_each_other_money_while_others_sign_up_and_log_in(server):
    a, b = server.users["pair"]
    start = {user["email"]: server.balance(user, user["account"]) for user in (a, b)}
    sends = [
        lambda p=pair: [transfer(server, p[0], "external", p[0]["account"], p[1]["account"], "2.00") for _ in range(5)]
        for pair in [(a, b), (b, a)] * 8
    ]
    walk_ins = [lambda n=n: register_and_log_in(server, n) for n in range(4)]

    with Watch(server) as watch:
        results = run_together(sends + walk_ins)

    transfers = [answer for answers in results[: len(sends)] for answer in answers]
    sign_ups = [status for statuses in results[len(sends):] for status in statuses]
    assert_served(server, watch, [status for status, _ in transfers] + sign_ups)
    assert [status for status, _ in transfers] == [201] * 80
    assert sign_ups == [201, 200, 200] * 4
    # Each sent 40 × 2.00 with a 1% fee and received 40 × 2.00.
    for user in (a, b):
        assert server.balance(user, user["account"]) == start[user["email"]] - Decimal("0.80")
    server.created += [body["id"] for _, body in transfers]


def test_a_blocked_users_token_is_refused_by_every_server_process_at_once(server):
    """A stolen token stops working the moment staff act, whichever process serves it next.

    Each request opens its own connection, so the kernel spreads the 20 over
    the server's processes; none of them may still hold the user or the
    session from before the block.
    """
    victim = server.users["blocked"][0]

    def me():
        return server.call("GET", "/auth/users/me/", victim["token"])

    assert {status for status, _ in run_together([me] * THREADS)} == {200}
    status, body = server.call("POST", f"/api/admin/users/{victim['id']}/block/", server.staff["token"])
    assert status == 200 and body["tokens_revoked"] >= 1, body
    answers = run_together([me] * THREADS)
    assert {(status, (body or {}).get("code")) for status, body in answers} == {(401, "token_not_valid")}, answers


def test_every_transfer_answered_201_is_in_the_balanced_ledger(server):
    """After the loads above (one Django start for the whole check instead of one per test)."""
    recorded = {txn["id"]: txn for txn in common.dump(server.stack.env, server.prefix)["transactions"]}
    missing = [txn_id for txn_id in server.created if recorded.get(txn_id, {}).get("status") != "SUCCESS"]
    assert not missing, missing
    assert all(recorded[txn_id]["entries"] for txn_id in server.created)
    ok, output = common.verify_ledger(server.stack.env)
    assert ok, output


@pytest.mark.skipif(not ON_POSTGRES, reason="the connection pool is PostgreSQL's")
def test_a_request_finding_the_pool_dry_gets_503_with_retry_after_and_the_server_recovers(database_url, tmp_path):
    config = ServeConfig(
        database_url=database_url, mode="wsgi", workers=1, threads=4, redis_url=None, pool_max_size=1,
        log_dir=tmp_path, extra_env={"DB_POOL_TIMEOUT": "1", "DB_RETRY_AFTER_SECONDS": "3"},
    )
    stack = ServerStack(config)
    payer, payee = common.prepare(stack.env, "http-busy", [{"name": "busy", "users": 2, "deposit": "10.00"}])["users"]
    server = Server(stack, "http-busy", {"busy": [payer, payee]}, tmp_path, database_url)
    with stack, psycopg.connect(database_url) as blocker, ThreadPoolExecutor(max_workers=1) as background:
        # The payer's row held elsewhere: the transfer waits for it holding the pool's one connection.
        blocker.execute("SELECT 1 FROM api_account WHERE account_number = %s FOR UPDATE", [payer["account"]])
        pending = background.submit(transfer, server, payer, "external", payer["account"], payee["account"], "1.00")
        wait_for_lock_waiter(database_url)

        busy = server.request("GET", "/api/accounts/", payer["token"])
        blocker.commit()
        completed = pending.result(timeout=TIMEOUT)
        after = [server.call("GET", path, payer["token"])[0] for path in ("/api/accounts/", "/api/health/")]

    assert (busy.status_code, busy.json()["code"], busy.headers.get("Retry-After")) == (503, "service_unavailable", "3")
    assert completed[0] == 201, completed
    assert after == [200, 200]


def wait_for_lock_waiter(database_url, timeout=TIMEOUT):
    """Until a connection of the database waits on a row lock."""
    deadline = time.monotonic() + timeout
    with psycopg.connect(common.with_database(DATABASE_URL, "postgres"), autocommit=True) as monitor:
        while time.monotonic() < deadline:
            waiting = monitor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND wait_event_type = 'Lock'",
                [common.database_name(database_url)],
            ).fetchone()[0]
            if waiting:
                return
            time.sleep(0.05)
    raise AssertionError("no request waited on the held row")
