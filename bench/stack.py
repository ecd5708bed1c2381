"""The production-like stack the benchmarks run against, and what they need to set it up and watch it.

The shop under gunicorn, Dramatiq workers, the Mollie simulator and (for the chaos drill) the scheduler run as
subprocesses, each in its own process group so it can be stopped or killed as a whole; emails go to an SMTP
sink in the benchmark's own process. Settings are bench/settings.py: shop.settings.production with its real
environment, relaxing only what needs TLS.
"""

import argparse
import email
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from email import policy
from pathlib import Path

import psycopg
import requests
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MANAGE = [PYTHON, str(ROOT / "manage.py")]
RESULTS = ROOT / "bench" / "results"
POSTGRES = "postgresql://postgres@127.0.0.1:5432"
CONFIRMATION_SUBJECT = re.compile(r"Your order (\S+) is confirmed")  # commtype_order_placed_subject.txt


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def add_stack_arguments(parser: argparse.ArgumentParser, *, database: str, drain_timeout: float) -> None:
    """The options both benchmarks share: catalogue size, database and process sizes."""
    add = parser.add_argument
    add("--products", type=int, default=200, help="demo products to load and buy (default %(default)s)")
    add("--database", default=database, help="PostgreSQL database, created if missing (%(default)s)")
    add("--web-workers", type=int, default=2, help="gunicorn worker processes (default %(default)s)")
    add("--web-threads", type=int, default=4, help="threads per gunicorn worker (default %(default)s)")
    add("--task-processes", type=int, default=1, help="rundramatiq --processes (default %(default)s)")
    add("--task-threads", type=int, default=2, help="rundramatiq --threads (default %(default)s)")
    add("--drain-timeout", type=float, default=drain_timeout, help="seconds to wait for the workers (%(default)s)")


# --- Environment and database ---------------------------------------------------------------------


@dataclass(frozen=True)
class Ports:
    shop: int
    simulator: int
    smtp: int

    @classmethod
    def free(cls) -> "Ports":
        return cls(shop=free_port(), simulator=free_port(), smtp=free_port())


def bench_environment(*, database: str, redis_url: str, broker_url: str, ports: Ports, var: Path) -> dict:
    """Production settings (bench/settings.py relaxes only what needs TLS), pointed at bench resources."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(ROOT),
        "SECRET_KEY": "bench-only-not-secret-5d0c7e2a9b8f4613a1e2c3d4e5f60718",
        "DATABASE_URL": f"{POSTGRES}/{database}",
        "REDIS_URL": redis_url,
        "BROKER_URL": broker_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SHOP_BASE_URL": f"http://127.0.0.1:{ports.shop}",
        "EMAIL_URL": f"smtp://127.0.0.1:{ports.smtp}",
        "DEFAULT_FROM_EMAIL": "shop@example.com",
        "MOLLIE_API_KEY": "test_benchbenchbenchbenchbenchbench",
        "MOLLIE_API_ENDPOINT": f"http://127.0.0.1:{ports.simulator}",
        "MOLLIE_TEST_MODE": "true",  # production refuses test keys and an endpoint override without it
        "SHOP_CARRIERS_ENABLED": "",  # nothing ships in these benchmarks
        "SHOP_TRUSTED_PROXIES": "",  # the benchmark talks to gunicorn directly: no proxy
        "SHOP_CHECKOUT_RATE": "1000000",  # every simulated shopper comes from 127.0.0.1
        "SHOP_BASKET_ADD_RATE": "1000000",  # likewise
        "SHOP_SEARCH_RATE": "1000000",  # likewise
        "SECURE_SSL_REDIRECT": "False",
        "MEDIA_ROOT": str(var / "media"),
        "PRIVATE_MEDIA_ROOT": str(var / "private"),
        "STATIC_ROOT": str(var / "static"),
    }


def manage(env: dict, *command: str) -> None:
    subprocess.run([*MANAGE, *command], env=env, cwd=ROOT, check=True)


def prepare_database(env: dict, *, database: str, products: int, search_index: bool = False) -> None:
    """Create and migrate the bench database, load the demo catalogue, collect static files (all idempotent);
    with `search_index`, index the catalogue too (search and category pages list from it)."""
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (database,)).fetchone():
            log(f"creating database {database}")
            conn.execute(f'CREATE DATABASE "{database}"')
    log("migrate, load_demo_shop, collectstatic" + (", rebuild_search_index" if search_index else ""))
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo_shop", "--products", str(products), "--no-index", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")  # ManifestStaticFilesStorage: pages need the manifest
    if search_index:
        manage(env, "rebuild_search_index", "-v0")


def setup_django(env: dict) -> None:
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command at INFO


def bench_products(count: int) -> list[str]:
    """URLs of the first `count` demo products, each given a stock that never runs out."""
    from oscar.core.loading import get_model

    from shop.demo.catalogue import demo_upc

    Product = get_model("catalogue", "Product")
    StockRecord = get_model("partner", "StockRecord")
    upcs = [demo_upc(index) for index in range(count)]
    StockRecord.objects.filter(product__upc__in=upcs).update(num_in_stock=1_000_000_000, num_allocated=0)
    products = Product.objects.filter(upc__in=upcs, is_public=True, stockrecords__isnull=False).order_by("upc")
    return [product.get_absolute_url() for product in products]


# --- Processes -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivered:
    at: float  # time.time() when the sink accepted it
    recipients: tuple[str, ...]
    subject: str


class SmtpSink:
    """An SMTP server in this process that keeps who got what, and when."""

    def __init__(self, port: int):
        self.messages: list[Delivered] = []
        self._lock = threading.Lock()  # handle_DATA runs on the controller's thread
        self.controller = Controller(self, hostname="127.0.0.1", port=port)

    async def handle_DATA(self, server, session, envelope):
        subject = email.message_from_bytes(envelope.content, policy=policy.default)["subject"] or ""
        with self._lock:
            self.messages.append(Delivered(time.time(), tuple(envelope.rcpt_tos), str(subject)))
        return "250 Message accepted for delivery"

    def delivered(self, emails) -> int:
        """How many of these addresses received at least one message."""
        with self._lock:
            return len({r for message in self.messages for r in message.recipients}.intersection(emails))

    def confirmations(self) -> dict[str, list[float]]:
        """Order number → when each of its confirmation emails arrived."""
        arrivals: dict[str, list[float]] = {}
        with self._lock:
            for message in self.messages:
                if match := CONFIRMATION_SUBJECT.search(message.subject):
                    arrivals.setdefault(match[1], []).append(message.at)
        return arrivals


class Services:
    """Subprocesses by name; each in its own process group, so stop() and kill() reach its children too."""

    def __init__(self, env: dict, logs: Path):
        self.env = env
        self.logs = logs
        self.processes: dict[str, subprocess.Popen] = {}
        self.commands: dict[str, list[str]] = {}

    def start(self, name: str, command: list[str]) -> None:
        output = open(self.logs / f"{name}.log", "ab")  # the child keeps its own copy of the file
        self.processes[name] = subprocess.Popen(
            command, env=self.env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.commands[name] = command
        output.close()

    def restart(self, name: str) -> None:
        self.start(name, self.commands[name])

    def kill(self, name: str) -> None:
        """SIGKILL the whole process group at once: no clean shutdown, no message handed back."""
        process = self.processes.pop(name)
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def wait_for(self, name: str, url: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for process_name, process in self.processes.items():
                if process.poll() is not None:
                    raise RuntimeError(f"{process_name} exited ({process.returncode}): see {self.logs}")
            try:
                if requests.get(url, timeout=5).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or still importing Django
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not answer {url} within {timeout} s: see {self.logs}")

    def exited(self) -> list[str]:
        return [f"{name} ({p.returncode})" for name, p in self.processes.items() if p.poll() is not None]

    def stop(self) -> None:
        for process in reversed(self.processes.values()):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for name, process in reversed(self.processes.items()):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                log(f"{name} did not stop in 15 s: killing it")
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()


def start_services(services: Services, args, ports: Ports, *, scheduler: bool = False) -> None:
    """The simulator, gunicorn, the workers (and the scheduler); returns once the simulator and shop answer."""
    env = services.env
    # The simulator is a dev tool (shop/devtools), absent from the production settings the shop runs on here.
    mollie_only = ["--only", "mollie", "--mollie-port", str(ports.simulator)]
    services.start("simulator", [*MANAGE, "simulators", "--settings=shop.settings.dev", *mollie_only])
    web = ["--workers", str(args.web_workers), "--threads", str(args.web_threads)]
    if args.web_threads > 1:
        web += ["--worker-class", "gthread"]
    gunicorn = str(Path(PYTHON).parent / "gunicorn")
    services.start("gunicorn", [gunicorn, "shop.wsgi", "--bind", f"127.0.0.1:{ports.shop}", *web])
    tasks = ["--processes", str(args.task_processes), "--threads", str(args.task_threads)]
    services.start("workers", [*MANAGE, "rundramatiq", *tasks])
    if scheduler:
        services.start("scheduler", [*MANAGE, "scheduler"])
    services.wait_for("simulator", f"{env['MOLLIE_API_ENDPOINT']}/simulator/stats")
    services.wait_for("gunicorn", f"{env['SHOP_BASE_URL']}/healthz")


class RedisServer:
    """The benchmark's own redis-server (cache and broker), with no persistence: killed, it comes back empty.
    Never the shared Redis on 6379."""

    def __init__(self, logs: Path):
        self.port = free_port()
        self.logs = logs
        self.process: subprocess.Popen | None = None

    def url(self, db: int) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self, timeout: float = 10) -> None:
        binary = shutil.which("redis-server")
        if not binary:
            raise RuntimeError("redis-server must be installed (apt-get install redis-server)")
        output = open(self.logs / "redis.log", "ab")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        output.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError(f"redis-server did not start on port {self.port}")

    def kill(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait()
            self.process = None

    stop = kill  # nothing to save: it runs without persistence


def terminate_connections(database: str) -> int:
    """pg_terminate_backend on every connection to `database` (this one is to another database)."""
    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()",
            (database,),
        ).fetchall()
    return sum(1 for (terminated,) in rows if terminated)
