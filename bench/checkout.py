#!/usr/bin/env python
"""Orders per second through the whole checkout, Mollie simulator included, at 1 and 4 concurrent clients.

Starts (and always stops) the Mollie simulator, the shop under gunicorn and Dramatiq workers, on a
dedicated PostgreSQL database and Redis databases, with emails delivered to an SMTP sink in this
process. Each client is one thread with its own HTTP connection; every order is a new guest who walks
the pages as a browser does (product page, basket, gateway, address, delivery, payment method,
preview, place order, the simulator's checkout, paid, back to the shop, thank-you page), fetching
/shop/visitor/ for a cached page's CSRF token as the page's script does (bench/shopper.py).

    .venv/bin/python bench/checkout.py --clients 1 4 --orders 200

See bench/README.md for what it measures and the figures measured.
"""

import argparse
import itertools
import json
import os
import platform
import signal
import statistics
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import redis
import requests

if __package__ in (None, ""):  # run as a script: bench/ is a package of the project
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.shopper import OrderFailed, Placed, Shopper
from bench.stack import (
    RESULTS,
    ROOT,
    Ports,
    Services,
    SmtpSink,
    add_stack_arguments,
    bench_environment,
    bench_products,
    log,
    prepare_database,
    setup_django,
    start_services,
)

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
VAR = ROOT / "var" / "bench-checkout"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add = parser.add_argument
    add("--clients", type=int, nargs="+", default=[1, 4], help="concurrency levels, in order (default: 1 4)")
    add("--orders", type=int, default=200, help="measured orders per level (default %(default)s)")
    add("--warmup", type=int, default=3, help="unmeasured orders per client first (default %(default)s)")
    add("--redis-db", type=int, default=7, help="Redis database of the cache (%(default)s); the broker uses the next")
    add_stack_arguments(parser, database="shop_bench_checkout", drain_timeout=600)
    add("--min-ops", type=float, default=20, help="budget: orders/s at the most clients (default %(default)s)")
    add("--enforce", action="store_true", help="exit 1 when the budget is missed (else only reported)")
    return parser.parse_args()


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


def cpu_seconds(services: Services, database: str) -> dict[tuple[str, int], float]:
    """CPU seconds used so far, per (what, pid): each service (its process group), this process (the clients
    and the SMTP sink), the bench database's PostgreSQL backends, and the whole machine (pid 0)."""
    groups = {process.pid: name for name, process in services.processes.items()}
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
    ports = Ports.free()
    redis_url, broker_url = (f"redis://127.0.0.1:6379/{db}" for db in (args.redis_db, args.redis_db + 1))
    env = bench_environment(database=args.database, redis_url=redis_url, broker_url=broker_url, ports=ports, var=VAR)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the subprocesses on kill too

    prepare_database(env, database=args.database, products=args.products)
    for url in (redis_url, broker_url):  # the bench's own cache and broker databases: start empty
        redis.Redis.from_url(url).flushdb()
    setup_django(env)
    products = bench_products(args.products)
    log(f"{len(products)} products with unlimited stock; logs in {logs.relative_to(ROOT)}")

    smtp = SmtpSink(ports.smtp)
    smtp.controller.start()
    services = Services(env, logs)
    rows = []
    try:
        start_services(services, args, ports)
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
