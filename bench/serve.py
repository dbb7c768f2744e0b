"""The production server stack of Nexus Bank, started and stopped as subprocesses.

HTTP is served by several worker processes behind one loopback port; WebSocket
by a separate Daphne process; both share the Redis channel layer (REDIS_URL),
so a push from any HTTP worker reaches a socket held by Daphne, and the outbox
dispatcher (``manage.py deliver_outbox`` under ``nice``) delivers the committed
events. Celery beat's periodic tasks (code expiry, the nightly insight) are
not part of a benchmark and not started. Without a Redis URL (``--redis-url
''``) the stack is the embedded one: events delivered inline, and the HTTP
processes serve the WebSocket too. Every process draws on its own psycopg pool of
``pool_max_size`` PostgreSQL connections; SQLite (``sqlite:////abs/path``)
works too. Modes, measured in bench/README.md:

- ``wsgi``  : gunicorn, gthread workers, ``nexus.wsgi`` (the chosen default);
- ``asgi``  : gunicorn with uvicorn workers, ``nexus.asgi``;
- ``daphne``: N Daphne processes accepting on one shared listening socket.

Run it by hand (Ctrl-C stops everything it started)::

    python bench/serve.py --database-url postgres://postgres@127.0.0.1:5432/nexus --port 8000
"""
import argparse
import ctypes
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MODES = ("wsgi", "asgi", "daphne")
DEFAULT_REDIS_URL = "redis://127.0.0.1:6379/11"
PR_SET_PDEATHSIG = 1  # prctl(2)
# The dispatcher's CPU priority below the web processes' (README, "Serving in production").
DISPATCHER_NICE = 10


def free_port():
    """A loopback port nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_env(database_url, redis_url=DEFAULT_REDIS_URL, pool_max_size=4, extra=None):
    """Production settings: no debug, a fresh secret, throttling off for load tests, bounded pool, Redis layer."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_SETTINGS_MODULE": "nexus.settings",
        "API_THROTTLING": "off",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DB_POOL_MAX_SIZE": str(pool_max_size),
        "LOG_LEVEL": "WARNING",
        "PYTHONUNBUFFERED": "1",
    }
    env.pop("NEXUS_TESTING", None)
    if not redis_url:
        del env["REDIS_URL"]
    env.update(extra or {})
    return env


def manage(env, *args, check=True, capture=False):
    """``manage.py ARGS`` with the server's environment."""
    return subprocess.run(
        [str(BIN / "python"), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=check,
        text=True,
        capture_output=capture,
    )


@dataclass
class ServeConfig:
    database_url: str
    mode: str = "wsgi"
    workers: int = 2
    threads: int = 4
    http_port: int = 0
    ws_port: int = 0
    redis_url: str | None = DEFAULT_REDIS_URL  # None: events inline, no dispatcher, WebSocket on the HTTP port
    pool_max_size: int = 4  # PostgreSQL connections per process (DB_POOL_MAX_SIZE)
    log_dir: Path = field(default_factory=lambda: Path(tempfile.gettempdir()) / "nexus-bench-logs")
    extra_env: dict = field(default_factory=dict)


class ServerStack:
    """HTTP workers plus a Daphne for WebSocket; every process in its own session so it can be killed by id."""

    def __init__(self, config: ServeConfig):
        if config.mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}")
        self.config = config
        self.http_port = config.http_port or free_port()
        self.ws_port = (config.ws_port or free_port()) if config.redis_url else self.http_port
        self.env = server_env(config.database_url, config.redis_url, config.pool_max_size, config.extra_env)
        self.http = []  # Popen of the HTTP side (one gunicorn master, or N daphnes)
        self.ws = None
        self.worker = None
        self._listener = None
        config.log_dir.mkdir(parents=True, exist_ok=True)

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def ws_url(self):
        return f"ws://127.0.0.1:{self.ws_port}"

    # --- commands -------------------------------------------------------------
    def http_commands(self):
        """The argv of each HTTP process (what bench/README.md documents)."""
        c = self.config
        gunicorn = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{self.http_port}", "--workers", str(c.workers)]
        # No control socket: it lives at one fixed path per user, and stacks may run side by side.
        gunicorn += ["--graceful-timeout", "5", "--no-control-socket"]
        if c.mode == "wsgi":
            return [gunicorn + ["--worker-class", "gthread", "--threads", str(c.threads), "nexus.wsgi:application"]]
        if c.mode == "asgi":
            return [gunicorn + ["--worker-class", "uvicorn.workers.UvicornWorker", "nexus.asgi:application"]]
        return [
            [str(BIN / "daphne"), "--fd", str(self._listener.fileno()), "--verbosity", "0", "nexus.asgi:application"]
            for _ in range(c.workers)
        ]

    def worker_command(self):
        """The outbox dispatcher, which delivers the side effects (risk rules, metrics, notifications, emails)."""
        return ["nice", "-n", str(DISPATCHER_NICE), str(BIN / "python"), "manage.py", "deliver_outbox"]

    def ws_command(self):
        return [str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(self.ws_port), "--verbosity", "0",
                "nexus.asgi:application"]

    # --- lifecycle --------------------------------------------------------------
    def migrate(self):
        manage(self.env, "migrate", "--noinput", capture=True)

    def start(self, timeout=60):
        self.start_http()
        if self.config.redis_url:
            self.ws = self._spawn(self.ws_command(), "ws")
            self.worker = self._spawn(self.worker_command(), "worker")
        self.wait_ready(timeout)
        return self

    def start_http(self):
        if self.config.mode == "daphne" and self._listener is None:
            self._listener = socket.create_server(("127.0.0.1", self.http_port), backlog=1024)
            self._listener.set_inheritable(True)
        fds = (self._listener.fileno(),) if self._listener else ()
        self.http = [self._spawn(cmd, f"http{i}", fds) for i, cmd in enumerate(self.http_commands())]

    def _spawn(self, argv, name, pass_fds=()):
        log = open(self.config.log_dir / f"{name}-{self.http_port}.log", "ab")  # noqa: SIM115 (child keeps it)
        return subprocess.Popen(
            argv, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True, pass_fds=pass_fds, preexec_fn=terminate_with_parent,
        )

    def wait_ready(self, timeout=60):
        """Until /api/health/ answers 200 and the WebSocket port accepts."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for proc in [*self.http, self.ws]:
                if proc is not None and proc.poll() is not None:
                    raise RuntimeError(f"server process {proc.args[0]} exited with {proc.returncode}; "
                                       f"see {self.config.log_dir}")
            if self._healthy() and self._ws_listening():
                return
            time.sleep(0.1)
        raise TimeoutError(f"server not ready after {timeout}s")

    def _healthy(self):
        try:
            with urllib.request.urlopen(self.base_url + "/api/health/", timeout=2) as response:  # noqa: S310  # nosec B310  # base_url: the http:// address of the server this script started
                return response.status == 200
        except (urllib.error.URLError, OSError):
            return False

    def _ws_listening(self):
        try:
            socket.create_connection(("127.0.0.1", self.ws_port), timeout=1).close()
            return True
        except OSError:
            return False

    def http_pids(self):
        """Every HTTP process: masters and their workers."""
        pids = [p.pid for p in self.http if p.poll() is None]
        return pids + [child for pid in pids for child in children_of(pid)]

    def worker_pids(self):
        """Processes that serve requests (gunicorn workers; each daphne)."""
        if self.config.mode == "daphne":
            return [p.pid for p in self.http if p.poll() is None]
        return [child for p in self.http if p.poll() is None for child in children_of(p.pid)]

    def kill_http(self, sig=signal.SIGKILL):
        """Kill every HTTP process (workers first, then masters) and reap them."""
        for pid in self.worker_pids() + [p.pid for p in self.http]:
            try:
                os.kill(pid, sig)
            except ProcessLookupError:
                pass
        for proc in self.http:
            proc.wait()
        self.http = []

    def restart_http(self, timeout=60):
        self.start_http()
        self.wait_ready(timeout)

    def processes(self):
        """Every process of the stack that may hold database connections (HTTP, WebSocket, dispatcher)."""
        return len(self.worker_pids()) + sum(proc is not None for proc in (self.ws, self.worker))

    def stop(self):
        """SIGTERM everything this stack started, SIGKILL what is still there after 10 s."""
        procs = [*self.http, *(proc for proc in (self.ws, self.worker) if proc)]
        for proc in procs:
            _signal_group(proc, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for proc in procs:
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(proc, signal.SIGKILL)
                proc.wait()
        self.http, self.ws, self.worker = [], None, None
        if self._listener is not None:
            self._listener.close()
            self._listener = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def terminate_with_parent():
    """In the child, before exec: SIGTERM when the script that started it dies, even by SIGKILL.

    A bench script stopped by a timeout never reaches ``stop()``; its servers
    (in sessions of their own, so a group signal misses them) would otherwise
    run on and hold ports, Redis keys and database connections. Linux only.
    """
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


def _signal_group(proc, sig):
    """Signal the process group this stack created for ``proc`` (its pid is the group id)."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            pass


def children_of(pid):
    """Direct children of ``pid`` from /proc (Linux)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def add_serve_arguments(parser):
    """The serving options every bench script shares."""
    parser.add_argument("--mode", choices=MODES, default="wsgi")
    parser.add_argument("--workers", type=int, default=2, help="HTTP worker processes (2 cores: 2-4)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gthread worker (wsgi mode)")
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", DEFAULT_REDIS_URL))
    parser.add_argument("--pool-max-size", type=int, default=4, help="PostgreSQL connections per process")


def config_from(args, database_url, **overrides):
    return ServeConfig(
        database_url=database_url, mode=args.mode, workers=args.workers, threads=args.threads,
        redis_url=args.redis_url or None, pool_max_size=args.pool_max_size, **overrides,
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL"), required="DATABASE_URL" not in os.environ)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--ws-port", type=int, default=8001)
    add_serve_arguments(parser)
    args = parser.parse_args()
    stack = ServerStack(config_from(args, args.database_url, http_port=args.port, ws_port=args.ws_port))
    stack.migrate()
    for argv in stack.http_commands() if args.mode != "daphne" else []:
        print("http:", " ".join(argv))
    if stack.config.redis_url:
        print("ws:  ", " ".join(stack.ws_command()))
    with stack:
        print(f"serving HTTP on {stack.base_url}, WebSocket on {stack.ws_url} (Ctrl-C stops)", flush=True)
        try:
            signal.pause()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
