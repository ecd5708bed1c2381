#!/usr/bin/env python
"""Orders per second through the whole checkout, Mollie simulator included, at 1 and 4 concurrent clients.

Starts (and always stops) the Mollie simulator, the shop under gunicorn and Dramatiq workers, on a
dedicated PostgreSQL database and Redis databases, with emails delivered to an SMTP sink in this
process. Each client is one thread with its own HTTP connection; every order is a new guest who walks
the pages as a browser does (product page, basket, gateway, address, delivery, payment method,
preview, place order, the simulator's checkout, paid, back to the shop, thank-you page).

    .venv/bin/python bench/checkout.py --clients 1 4 --orders 200

See bench/README.md for what it measures and the figures measured.
"""

import argparse
import itertools
import json
import logging
import os
import platform
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import redis
import requests
from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
MANAGE = [PYTHON, str(ROOT / "manage.py")]
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
RESULTS = ROOT / "bench" / "results"
VAR = ROOT / "var" / "bench-checkout"
ADDRESS = {
    "first_name": "Anna",
    "last_name": "de Vries",
    "line1": "Damrak 1",
    "line4": "Amsterdam",
    "postcode": "1012 LG",
    "country": "NL",
    "phone_number": "+31 20 123 4567",
}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
REFRESH = re.compile(r'http-equiv="refresh" content="(\d+)"')
SHIPPING_METHOD = re.compile(r'name="method_code" value="([^"]+)"')
RETURN_PATH = r"/shop/checkout/payment/(?P<number>[^/]+)/[^/]+/$"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add = parser.add_argument
    add("--clients", type=int, nargs="+", default=[1, 4], help="concurrency levels, in order (default: 1 4)")
    add("--orders", type=int, default=200, help="measured orders per level (default %(default)s)")
    add("--warmup", type=int, default=3, help="unmeasured orders per client first (default %(default)s)")
    add("--products", type=int, default=200, help="demo products to load and buy (default %(default)s)")
    add("--database", default="shop_bench_checkout", help="PostgreSQL database, created if missing (%(default)s)")
    add("--redis-db", type=int, default=7, help="Redis database of the cache (%(default)s); the broker uses the next")
    add("--web-workers", type=int, default=2, help="gunicorn worker processes (default %(default)s)")
    add("--web-threads", type=int, default=4, help="threads per gunicorn worker (default %(default)s)")
    add("--task-processes", type=int, default=1, help="rundramatiq --processes (default %(default)s)")
    add("--task-threads", type=int, default=2, help="rundramatiq --threads (default %(default)s)")
    add("--drain-timeout", type=float, default=600, help="seconds to wait for the workers (default %(default)s)")
    add("--min-ops", type=float, default=20, help="budget: orders/s at the most clients (default %(default)s)")
    add("--enforce", action="store_true", help="exit 1 when the budget is missed (else only reported)")
    return parser.parse_args()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- Environment and database ---------------------------------------------------------------------


def bench_environment(args, *, shop_port: int, simulator_port: int, smtp_port: int) -> dict:
    """Production settings (bench/settings.py relaxes only what needs TLS), pointed at bench resources."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "PYTHONPATH": str(ROOT),
        "SECRET_KEY": "bench-only-not-secret-5d0c7e2a9b8f4613a1e2c3d4e5f60718",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{args.database}",
        "REDIS_URL": f"redis://127.0.0.1:6379/{args.redis_db}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SHOP_BASE_URL": f"http://127.0.0.1:{shop_port}",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "DEFAULT_FROM_EMAIL": "shop@example.com",
        "MOLLIE_API_KEY": "test_benchbenchbenchbenchbenchbench",
        "MOLLIE_API_ENDPOINT": f"http://127.0.0.1:{simulator_port}",
        "MOLLIE_TEST_MODE": "true",  # production refuses test keys and an endpoint override without it
        "SHOP_CARRIERS_ENABLED": "",  # nothing ships in this benchmark
        "SHOP_TRUSTED_PROXIES": "",  # the benchmark talks to gunicorn directly: no proxy
        "SHOP_CHECKOUT_RATE": "1000000",  # every simulated shopper comes from 127.0.0.1
        "SHOP_BASKET_ADD_RATE": "1000000",  # likewise
        "SECURE_SSL_REDIRECT": "False",
        "MEDIA_ROOT": str(VAR / "media"),
        "PRIVATE_MEDIA_ROOT": str(VAR / "private"),
        "STATIC_ROOT": str(VAR / "static"),
        "WHOOSH_PATH": str(VAR / "whoosh"),
    }


def manage(env: dict, *command: str) -> None:
    subprocess.run([*MANAGE, *command], env=env, cwd=ROOT, check=True)


def prepare_database(args, env: dict) -> None:
    """Create and migrate the bench database, load the demo catalogue, collect static files (all idempotent)."""
    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (args.database,)).fetchone():
            log(f"creating database {args.database}")
            conn.execute(f'CREATE DATABASE "{args.database}"')
    log("migrate, load_demo_shop, collectstatic")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_demo_shop", "--products", str(args.products), "--no-index", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")  # ManifestStaticFilesStorage: pages need the manifest
    for db in (args.redis_db, args.redis_db + 1):  # the bench's own cache and broker: start empty
        redis.Redis(host="127.0.0.1", port=6379, db=db).flushdb()


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


def worker_output(numbers: list[str]) -> dict:
    """What the workers made for these orders: orders paid (by the webhook's task or the return page), PDF receipts."""
    from oscar.core.loading import get_model

    from shop.orders import statuses
    from shop.receipts.models import Receipt

    Order = get_model("order", "Order")
    orders = Order.objects.filter(number__in=numbers)
    return {
        "paid": orders.filter(status=statuses.PAID).count(),
        "receipts": Receipt.objects.filter(order__number__in=numbers, kind=Receipt.Kind.RECEIPT).count(),
    }


# --- Processes -------------------------------------------------------------------------------------


class SmtpSink:
    """An SMTP server in this process that counts each message by recipient."""

    def __init__(self, port: int):
        self.recipients: set[str] = set()
        self.controller = Controller(self, hostname="127.0.0.1", port=port)

    async def handle_DATA(self, server, session, envelope):
        self.recipients.update(envelope.rcpt_tos)
        return "250 Message accepted for delivery"

    def delivered(self, emails) -> int:
        return len(self.recipients.intersection(emails))


class Services:
    """The simulator, gunicorn and Dramatiq workers as subprocesses; stop() ends each by its process group."""

    def __init__(self, env: dict, logs: Path):
        self.env = env
        self.logs = logs
        self.processes: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, command: list[str]) -> None:
        output = open(self.logs / f"{name}.log", "wb")  # the child keeps its own copy of the file
        process = subprocess.Popen(
            command, env=self.env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        output.close()
        self.processes.append((name, process))

    def wait_for(self, name: str, url: str, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for process_name, process in self.processes:
                if process.poll() is not None:
                    raise RuntimeError(f"{process_name} exited ({process.returncode}): see {self.logs}")
            try:
                if requests.get(url, timeout=5).status_code == 200:
                    return
            except requests.RequestException:  # not listening yet, or still importing Django
                pass
            time.sleep(0.2)
        raise RuntimeError(f"{name} did not answer {url} within {timeout} s: see {self.logs}")

    def stop(self) -> None:
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for name, process in reversed(self.processes):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                log(f"{name} did not stop in 15 s: killing it")
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        self.processes.clear()


def start_services(services: Services, args, *, shop_port: int, simulator_port: int) -> None:
    env = services.env
    services.start("simulator", [*MANAGE, "mollie_simulator", "--port", str(simulator_port)])
    web = ["--workers", str(args.web_workers), "--threads", str(args.web_threads)]
    if args.web_threads > 1:
        web += ["--worker-class", "gthread"]
    gunicorn = str(Path(PYTHON).parent / "gunicorn")
    services.start("gunicorn", [gunicorn, "shop.wsgi", "--bind", f"127.0.0.1:{shop_port}", *web])
    tasks = ["--processes", str(args.task_processes), "--threads", str(args.task_threads)]
    services.start("workers", [*MANAGE, "rundramatiq", *tasks])
    services.wait_for("simulator", f"{env['MOLLIE_API_ENDPOINT']}/simulator/stats")
    services.wait_for("gunicorn", f"{env['SHOP_BASE_URL']}/healthz")


def cpu_seconds(services: Services, database: str) -> dict[tuple[str, int], float]:
    """CPU seconds used so far, per (what, pid): each service (its process group), this process (the clients
    and the SMTP sink), the bench database's PostgreSQL backends, and the whole machine (pid 0)."""
    groups = {process.pid: name for name, process in services.processes}
    used = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            pid, text = int(stat.parent.name), stat.read_text()
            fields = text.rpartition(")")[2].split()  # fields[2]: process group; [11], [12]: user, system ticks
            seconds = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
            if int(fields[2]) in groups:
                used[groups[int(fields[2])], pid] = seconds
            elif pid == os.getpid():
                used["bench", pid] = seconds
            elif "(postgres)" in text and database.encode() in (stat.parent / "cmdline").read_bytes():
                used["postgres", pid] = seconds
        except (OSError, ValueError):
            continue  # the process ended meanwhile
    user, nice, system, idle, iowait, *rest = (int(v) for v in Path("/proc/stat").read_text().split()[1:9])
    used["machine", 0] = (user + nice + system + sum(rest)) / CLOCK_TICKS
    return used


def cpu_used_between(before: dict, after: dict) -> dict[str, float]:
    """Seconds per service between two snapshots; a process that ended meanwhile (a PostgreSQL connection
    closed after CONN_MAX_AGE) is missing from `after`, so its figure is a lower bound."""
    totals = dict.fromkeys(["gunicorn", "workers", "postgres", "simulator", "bench", "machine"], 0.0)
    for (name, pid), seconds in after.items():
        totals[name] += seconds - before.get((name, pid), 0.0)
    return totals


# --- One shopper -----------------------------------------------------------------------------------


class OrderFailed(Exception):
    pass


@dataclass
class Placed:
    number: str
    email: str
    seconds: float  # product page to thank-you page
    steps: dict[str, float]  # seconds per step, redirects followed included
    requests: int
    refreshes: int  # times the "waiting for your payment" page had to refresh itself first


def expect_page(response: requests.Response, path: str, step: str) -> str:
    """The page a browser ends on after following redirects: 200 at `path`, or OrderFailed."""
    hops = [r.status_code for r in response.history]
    landed = urlsplit(response.url).path
    if response.status_code != 200 or landed != path or any(code not in (301, 302, 303) for code in hops):
        raise OrderFailed(f"{step}: expected 200 at {path}, got {hops + [response.status_code]} at {landed}")
    return response.text


def expect_redirect(response: requests.Response, status: int, pattern: str, step: str) -> str:
    location = response.headers.get("Location", "")
    if response.status_code != status or not re.search(pattern, location):
        raise OrderFailed(f"{step}: expected {status} to {pattern}, got {response.status_code} {location}")
    return location


def csrf_token(page: str, step: str) -> str:
    match = CSRF.search(page)
    if not match:
        raise OrderFailed(f"{step}: no CSRF token on the page")
    return match[1]


class Shopper:
    """One client: a requests.Session (one keep-alive connection per server); each order is a new guest."""

    def __init__(self, shop_url: str):
        self.shop = shop_url
        self.http = requests.Session()

    def step(self, name: str, url: str, data: dict | None = None, *, page: str = "", follow=True):
        """GET `url`, or POST `data` with `page`'s CSRF token; time it (redirects followed included)."""
        url = url if url.startswith("http") else self.shop + url
        if data is not None and page:
            data = {"csrfmiddlewaretoken": csrf_token(page, name), **data}
        started = time.perf_counter()
        method = "GET" if data is None else "POST"
        response = self.http.request(method, url, data=data, allow_redirects=follow, timeout=60)
        self.steps[name] = self.steps.get(name, 0.0) + time.perf_counter() - started
        self.requests += 1 + len(response.history)
        return response

    def order(self, product_url: str, email: str) -> Placed:
        self.http.cookies.clear()  # a new guest: new session, basket and CSRF cookie
        self.steps, self.requests = {}, 0
        started = time.perf_counter()
        page = expect_page(self.step("product page", product_url), product_url, "product page")
        add_url = re.search(r'action="(/shop/basket/add/\d+/)"', page)
        if not add_url:
            raise OrderFailed("product page: no add-to-basket form")
        response = self.step("add to basket", add_url[1], {"quantity": 1}, page=page)
        page = expect_page(response, "/shop/basket/", "add to basket")
        page = expect_page(self.step("checkout", "/shop/checkout/"), "/shop/checkout/", "checkout")
        response = self.step("guest", "/shop/checkout/", {"username": email, "options": "anonymous"}, page=page)
        page = expect_page(response, "/shop/checkout/shipping-address/", "guest")
        response = self.step("address", "/shop/checkout/shipping-address/", ADDRESS, page=page)
        page = expect_page(response, "/shop/checkout/shipping-method/", "address")
        method = SHIPPING_METHOD.search(page)
        if not method:
            raise OrderFailed("shipping method: no method offered")
        response = self.step("delivery", "/shop/checkout/shipping-method/", {"method_code": method[1]}, page=page)
        page = expect_page(response, "/shop/checkout/payment-method/", "delivery")
        response = self.step("payment method", "/shop/checkout/payment-method/", {"method": "ideal"}, page=page)
        page = expect_page(response, "/shop/checkout/preview/", "payment method")
        form = {"action": "place_order", "accept_terms": "1"}
        response = self.step("place order", "/shop/checkout/preview/", form, page=page, follow=False)
        checkout_url = expect_redirect(response, 302, r"/checkout/tr_\w+$", "place order")
        page = expect_page(self.step("simulator page", checkout_url), urlsplit(checkout_url).path, "simulator page")
        response = self.step("simulator paid", checkout_url, {"status": "paid"}, follow=False)
        return_url = expect_redirect(response, 303, RETURN_PATH, "simulator paid")
        response, refreshes = self.step("return", return_url), 0
        while (refresh := REFRESH.search(response.text)) and refreshes < 10:  # the page says "wait": as a browser
            expect_page(response, urlsplit(return_url).path, "return")
            time.sleep(int(refresh[1]))
            response, refreshes = self.step("return", return_url), refreshes + 1
        page = expect_page(response, "/shop/checkout/thank-you/", "return")
        number = re.search(RETURN_PATH, return_url)["number"]
        if f"<strong>{number}</strong>" not in page:
            raise OrderFailed(f"thank-you page: order {number} not shown")
        return Placed(number, email, time.perf_counter() - started, self.steps, self.requests, refreshes)


# --- Levels ----------------------------------------------------------------------------------------


@dataclass
class Level:
    clients: int
    placed: list[Placed] = field(default_factory=list)
    warmup: list[Placed] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
    cpu_seconds: dict[str, float] = field(default_factory=dict)  # used during the measured orders


def run_clients(shop_url: str, products: list[str], clients: int, orders: int, tag: str, sink: list, errors: list):
    """`clients` threads take tickets until `orders` orders are done (or failed); returns the wall time."""
    tickets = itertools.count()
    lock = threading.Lock()

    def client(index: int) -> None:
        shopper = Shopper(shop_url)
        while (ticket := next(tickets)) < orders:
            email = f"{tag}-{index}-{ticket}@bench.example.com"
            try:
                placed = shopper.order(products[ticket % len(products)], email)
            except (OrderFailed, requests.RequestException) as exc:
                with lock:
                    errors.append(f"client {index}: {exc}")
                continue
            with lock:
                sink.append(placed)
                done = len(sink)
            if done % 25 == 0:
                log(f"  {tag}: {done}/{orders} orders")

    threads = [threading.Thread(target=client, args=(index,), daemon=True) for index in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


def run_level(shop_url: str, products: list[str], clients: int, args, run_id: str, cpu) -> Level:
    level = Level(clients)
    log(f"{clients} client(s): warm-up, {args.warmup} order(s) each")
    run_clients(
        shop_url, products, clients, args.warmup * clients, f"{run_id}-c{clients}-w", level.warmup, level.errors
    )
    log(f"{clients} client(s): {args.orders} measured orders")
    before = cpu()
    level.seconds = run_clients(
        shop_url, products, clients, args.orders, f"{run_id}-c{clients}", level.placed, level.errors
    )
    level.cpu_seconds = cpu_used_between(before, cpu())
    return level


def wait_for_workers(level: Level, smtp: SmtpSink, timeout: float) -> dict:
    """Wait (bounded) until every paid order of the level has its PDF receipt and its email at the sink."""
    placed = level.warmup + level.placed
    numbers = [order.number for order in placed]
    emails = {order.email for order in placed}
    started = time.perf_counter()
    at_end = {**worker_output(numbers), "emails": smtp.delivered(emails)}
    log(f"  backlog when the clients stopped: {at_end}, orders {len(placed)}")
    while True:
        now = {**worker_output(numbers), "emails": smtp.delivered(emails)}
        waited = time.perf_counter() - started
        if now["receipts"] >= len(placed) and now["emails"] >= len(placed):
            return {"orders": len(placed), "at_clients_stop": at_end, "done": now, "drain_seconds": round(waited, 2)}
        if waited > timeout:
            level.errors.append(f"workers did not drain within {timeout} s: {now} of {len(placed)} orders")
            return {"orders": len(placed), "at_clients_stop": at_end, "done": now, "drain_seconds": None}
        time.sleep(0.25)


# --- Report ----------------------------------------------------------------------------------------


def percentiles(values: list[float]) -> dict:
    if len(values) < 2:
        return {"p50_ms": round(values[0] * 1000, 1) if values else None, "p95_ms": None}
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {"p50_ms": round(cuts[49] * 1000, 1), "p95_ms": round(cuts[94] * 1000, 1)}


def cores_busy(level: Level) -> dict[str, float]:
    """Cores used on average during the measured orders: by each of ours, the machine, everything else."""
    cores = {name: round(used / level.seconds, 2) for name, used in level.cpu_seconds.items()}
    cores["other processes"] = round(cores["machine"] - sum(v for k, v in cores.items() if k != "machine"), 2)
    return cores


def summarize(level: Level, drain: dict) -> dict:
    placed = level.placed
    return {
        "clients": level.clients,
        "orders": len(placed),
        "errors": len(level.errors),
        "error_samples": level.errors[:10],
        "seconds": round(level.seconds, 2),
        "orders_per_second": round(len(placed) / level.seconds, 2) if level.seconds else 0.0,
        "orders_that_waited_for_payment": sum(1 for o in placed if o.refreshes),
        "requests_per_order": round(statistics.mean(o.requests for o in placed), 1) if placed else None,
        "place_order": percentiles([o.steps["place order"] for o in placed]),
        "full_order": percentiles([o.seconds for o in placed]),
        "mean_ms_per_step": {
            name: round(statistics.mean(o.steps[name] for o in placed) * 1000, 1) for name in placed[0].steps
        }
        if placed
        else {},
        "cpu_ms_per_order": {name: round(used * 1000 / len(placed)) for name, used in level.cpu_seconds.items()}
        if placed
        else {},
        "cores_busy": cores_busy(level),
        "workers": drain,
    }


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'clients':>7} {'orders':>6} {'errors':>6} {'orders/s':>8} {'place p50':>9} {'place p95':>9} "
        f"{'order p50':>9} {'order p95':>9} {'req/order':>9} {'waited':>6} {'drain s':>7}"
    )
    print("\n" + header + "\n" + "-" * len(header))
    for row in rows:
        place, full = row["place_order"], row["full_order"]
        print(
            f"{row['clients']:>7} {row['orders']:>6} {row['errors']:>6} {row['orders_per_second']:>8} "
            f"{place['p50_ms']!s:>9} {place['p95_ms']!s:>9} {full['p50_ms']!s:>9} {full['p95_ms']!s:>9} "
            f"{row['requests_per_order']!s:>9} {row['orders_that_waited_for_payment']:>6} "
            f"{row['workers']['drain_seconds']!s:>7}"
        )
    for row in rows:
        steps = ", ".join(f"{name} {ms:.0f}" for name, ms in row["mean_ms_per_step"].items())
        print(f"{row['clients']} client(s), mean ms per step: {steps}")
        cpu = ", ".join(f"{name} {ms}" for name, ms in row["cpu_ms_per_order"].items())
        cores = row["cores_busy"]
        print(f"  CPU ms per order: {cpu}; cores busy: {cores['machine']} (other processes {cores['other processes']})")
    print("latencies in ms; drain s: from the clients' stop until every paid order's PDF and email were done\n")


def main() -> int:
    args = parse_args()
    load_at_start = os.getloadavg()
    if load_at_start[0] > 1:
        log(f"note: load average {load_at_start[0]:.1f} before starting: other processes will share the CPUs")
    run_id = datetime.now().strftime("%Y%m%d-%H%M%S")
    logs = RESULTS / f"checkout-{run_id}-logs"
    logs.mkdir(parents=True, exist_ok=True)
    VAR.mkdir(parents=True, exist_ok=True)
    ports = {"shop_port": free_port(), "simulator_port": free_port(), "smtp_port": free_port()}
    env = bench_environment(args, **ports)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the subprocesses on kill too

    prepare_database(args, env)
    setup_django(env)
    products = bench_products(args.products)
    log(f"{len(products)} products with unlimited stock; logs in {logs.relative_to(ROOT)}")

    smtp = SmtpSink(ports["smtp_port"])
    smtp.controller.start()
    services = Services(env, logs)
    rows = []
    try:
        start_services(services, args, shop_port=ports["shop_port"], simulator_port=ports["simulator_port"])
        log(f"simulator, gunicorn ({args.web_workers}×{args.web_threads}), workers up")
        for clients in args.clients:
            cpu = lambda: cpu_seconds(services, args.database)  # noqa: E731
            level = run_level(env["SHOP_BASE_URL"], products, clients, args, run_id, cpu)
            log(f"{clients} client(s): {len(level.placed)} orders in {level.seconds:.1f} s; waiting for the workers")
            drain = wait_for_workers(level, smtp, args.drain_timeout)
            rows.append(summarize(level, drain))
            log(f"{clients} client(s): {rows[-1]['orders_per_second']} orders/s, drained in {drain['drain_seconds']} s")
            for error in level.errors[:5]:
                log(f"  error: {error}")
        simulator_stats = requests.get(f"{env['MOLLIE_API_ENDPOINT']}/simulator/stats", timeout=10).json()
    finally:
        log("stopping the simulator, gunicorn and workers")
        services.stop()
        smtp.controller.stop()

    print_table(rows)
    top = max(rows, key=lambda row: row["clients"])
    failed = any(row["errors"] for row in rows)
    result = {
        "run": run_id,
        "machine": {
            "cpus": os.cpu_count(),
            "platform": platform.platform(),
            "python": platform.python_version(),
            "load_average_at_start": load_at_start,
        },
        "config": {
            "orders_per_level": args.orders,
            "warmup_per_client": args.warmup,
            "products": len(products),
            "gunicorn": {"workers": args.web_workers, "threads": args.web_threads},
            "dramatiq": {"processes": args.task_processes, "threads": args.task_threads},
            "settings": "bench.settings (shop.settings.production, plain-http cookies)",
        },
        "levels": rows,
        "simulator": simulator_stats,
        "budget": {"min_ops": args.min_ops, "clients": top["clients"], "enforced": args.enforce},
        "ok": not failed,
    }
    path = RESULTS / f"checkout-{run_id}.json"
    path.write_text(json.dumps(result, indent=2) + "\n")
    log(f"result written to {path.relative_to(ROOT)}")
    if failed:
        log("FAILED: some orders failed or the workers did not drain (see error_samples)")
        return 1
    if top["orders_per_second"] < args.min_ops:
        verdict = "budget missed" + ("" if args.enforce else " (not enforced: pass --enforce)")
        log(f"{verdict}: {top['orders_per_second']} orders/s at {top['clients']} clients < {args.min_ops}")
        return 1 if args.enforce else 0
    log(f"budget met: {top['orders_per_second']} orders/s at {top['clients']} clients >= {args.min_ops}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        log("interrupted: everything the benchmark started is stopped")
        sys.exit(130)
