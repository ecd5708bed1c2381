#!/usr/bin/env python
"""Chaos drill: shoppers browse, search, fill baskets and pay while Redis, the workers and the database
connections are each killed and restored once; then every paid order must have exactly one confirmation.

Starts (and always stops) the production-like stack of bench/checkout.py plus the scheduler, on the drill's
own redis-server (cache and broker, no persistence: killed, it comes back empty). At fixed fractions of the
run it kills Redis (restarted empty after --redis-down s), SIGKILLs every worker process (restarted after
--workers-down s) and terminates every connection to the drill's database (pg_terminate_backend). When the
clients stop it waits until every paid order is confirmed and the outbox is done, then prints orders placed,
paid, confirmed, lost and doubled, the 5xx inside and outside each fault's window, and the time to drain
after each recovery.

    .venv/bin/python bench/chaos.py                  # 5 minutes
    .venv/bin/python bench/chaos.py --duration 60    # a short try

See bench/README.md for what it does and a run's figures.
"""

import argparse
import json
import random
import re
import signal
import sys
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import requests

if __package__ in (None, ""):  # run as a script: bench/ is a package of the project
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.shopper import OrderFailed, Shopper
from bench.stack import (
    RESULTS,
    ROOT,
    Ports,
    RedisServer,
    Services,
    SmtpSink,
    add_stack_arguments,
    bench_environment,
    bench_products,
    log,
    prepare_database,
    setup_django,
    start_services,
    terminate_connections,
)

VAR = ROOT / "var" / "bench-chaos"
ACTIONS = ("browse", "search", "basket", "checkout")
PRODUCT_LINK = re.compile(r'href="(/shop/catalogue/[\w-]+_\d+/)"')


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add = parser.add_argument
    add("--duration", type=float, default=300, help="seconds of load (default %(default)s)")
    add("--clients", type=int, default=4, help="concurrent shoppers (default %(default)s)")
    add("--mix", default="browse=35,search=20,basket=15,checkout=30", help="weights of the actions (%(default)s)")
    add("--redis-at", type=float, default=0.20, help="fraction of the run when Redis is killed (%(default)s)")
    add("--workers-at", type=float, default=0.45, help="... when the workers are SIGKILLed (%(default)s)")
    add("--database-at", type=float, default=0.70, help="... when the database connections go (%(default)s)")
    add("--redis-down", type=float, default=20, help="seconds before Redis restarts, empty (%(default)s)")
    add("--workers-down", type=float, default=10, help="seconds before the workers restart (%(default)s)")
    add("--window-margin", type=float, default=5, help="seconds after a restore still in its window (%(default)s)")
    add("--seed", type=int, default=None, help="random seed of the shoppers' choices")
    add_stack_arguments(parser, database="shop_bench_chaos", drain_timeout=300)
    args = parser.parse_args()
    args.weights = parse_mix(parser, args.mix)
    return args


def parse_mix(parser, text: str) -> dict[str, float]:
    try:
        weights = {name: float(weight) for name, weight in (item.split("=") for item in text.split(","))}
    except ValueError:
        parser.error(f"--mix: expected action=weight,... got {text!r}")
    if not set(weights) <= set(ACTIONS) or sum(weights.values()) <= 0:
        parser.error(f"--mix: actions are {', '.join(ACTIONS)}")
    return weights


# --- What the shoppers see ------------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    at: float  # time.time() of the answer (or of the failure to get one)
    path: str  # a label: product and category pages, order numbers and ids folded
    status: int | None  # None: no answer (connection refused or reset, timeout)


@dataclass
class Attempt:
    """One checkout, as far as the shopper got."""

    email: str
    reached_mollie: bool = False
    number: str = ""  # known once Mollie sends the shopper back
    paid_at: float | None = None
    thanked: bool = False  # the thank-you page showed the order
    failure: str = ""


@dataclass
class Site:
    """What shoppers find: product and category pages, words to search for."""

    base: str
    products: list[str]
    categories: list[str]
    words: list[str]

    def label(self, url: str) -> str:
        path = urlsplit(url).path
        if path in self.categories:
            return "<category page>"
        path = re.sub(r"^/shop/catalogue/[\w-]+_\d+/$", "/shop/catalogue/<product>/", path)
        path = re.sub(r"^/shop/basket/add/\d+/$", "/shop/basket/add/<id>/", path)
        return re.sub(r"^/shop/checkout/payment/[^/]+/[^/]+/$", "/shop/checkout/payment/<number>/<token>/", path)


def load_site(base: str, products: list[str]) -> Site:
    from oscar.core.loading import get_model

    from cms.models import CategoryPage

    Product = get_model("catalogue", "Product")
    categories = sorted({urlsplit(page.url).path for page in CategoryPage.objects.live() if page.url})
    titles = Product.objects.filter(stockrecords__isnull=False).values_list("title", flat=True)[:500]
    words = sorted({word.lower() for title in titles for word in re.findall(r"[A-Za-z]{4,}", title)})
    return Site(base, products, categories, words)


class Traffic:
    """Every client's answers and checkouts (list appends are atomic: no lock needed)."""

    def __init__(self, site: Site):
        self.site = site
        self.hits: list[Hit] = []
        self.attempts: list[Attempt] = []
        self.actions: Counter = Counter()
        self.failures: Counter = Counter()  # (action, what went wrong)

    def answered(self, response: requests.Response) -> None:
        if response.url.startswith(self.site.base):  # the shop's answers, not the simulator's
            self.hits.append(Hit(time.time(), self.site.label(response.url), response.status_code))

    def unanswered(self, exc: requests.RequestException) -> None:
        url = exc.request.url if exc.request is not None else ""
        if url.startswith(self.site.base):
            self.hits.append(Hit(time.time(), self.site.label(url), None))

    def failed(self, action: str, reason: str) -> None:
        # Fold what varies (numbers, ids, URLs) so the same failure counts once.
        reason = re.sub(r"(tr_\w+|_\d+/|/\d+/|[A-Z0-9]{9}/\S+)", "…", reason)
        self.failures[action, reason[:160]] += 1


# --- The shoppers' actions ------------------------------------------------------------------------


def browse(shopper: Shopper, site: Site, rng: random.Random) -> None:
    """Home page, a category page, a product listed there."""
    shopper.open("home", "/")
    page = shopper.open("category", rng.choice(site.categories)) if site.categories else ""
    listed = PRODUCT_LINK.findall(page)
    shopper.open("product page", rng.choice(listed or site.products))


def search(shopper: Shopper, site: Site, rng: random.Random) -> None:
    """A search for a word of the catalogue, then the first product found (if any)."""
    query = urlencode({"q": rng.choice(site.words) if site.words else "book"})
    page = shopper.open("search", f"/shop/search/?{query}")
    if found := PRODUCT_LINK.search(page):
        shopper.open("product page", found[1])


def fill_basket(shopper: Shopper, site: Site, rng: random.Random) -> None:
    """One product into the basket, and away (an abandoned basket)."""
    shopper.add_to_basket(rng.choice(site.products))


def check_out(shopper: Shopper, site: Site, rng: random.Random, attempt: Attempt) -> None:
    """A product bought with iDEAL at the simulator, to the thank-you page; `attempt` says how far it got."""
    shopper.add_to_basket(rng.choice(site.products))
    checkout_url = shopper.check_out(attempt.email)
    attempt.reached_mollie = True
    return_url = shopper.pay(checkout_url)
    attempt.number, attempt.paid_at = shopper.paid[-1]
    shopper.come_back(return_url)
    attempt.thanked = True


def run_client(index: int, traffic: Traffic, args, run_tag: str, stop: threading.Event, seed: int) -> None:
    rng = random.Random(seed)
    shopper = Shopper(traffic.site.base, on_response=traffic.answered)
    names, weights = zip(*args.weights.items(), strict=True)
    visit = 0
    while not stop.is_set():
        action = rng.choices(names, weights)[0]
        visit += 1
        shopper.new_guest()
        traffic.actions[action] += 1
        attempt = Attempt(email=f"{run_tag}-{index}-{visit}@bench.example.com") if action == "checkout" else None
        try:
            if attempt is not None:
                traffic.attempts.append(attempt)
                check_out(shopper, traffic.site, rng, attempt)
            else:
                {"browse": browse, "search": search, "basket": fill_basket}[action](shopper, traffic.site, rng)
        except (OrderFailed, requests.RequestException) as exc:
            if isinstance(exc, requests.RequestException):
                traffic.unanswered(exc)
            if attempt is not None:
                attempt.failure = str(exc)
            traffic.failed(action, str(exc))
            stop.wait(1)  # a person tries again after a moment, not in a tight loop


# --- Faults --------------------------------------------------------------------------------------


@dataclass
class Window:
    fault: str
    start: float  # time.time() of the kill
    end: float  # of the restore
    detail: str

    def holds(self, at: float, margin: float) -> bool:
        return self.start <= at <= self.end + margin


class Faults:
    def __init__(self, args, redis: RedisServer, services: Services):
        self.args, self.redis, self.services = args, redis, services

    def redis_killed(self, stop: threading.Event) -> Window:
        start = time.time()
        self.redis.kill()
        log(f"fault: Redis killed (SIGKILL); restarting it empty in {self.args.redis_down:.0f} s")
        stop.wait(self.args.redis_down)
        self.redis.start()
        log("restored: Redis is back, empty")
        return Window("redis", start, time.time(), "redis-server SIGKILLed, restarted empty (no persistence)")

    def workers_killed(self, stop: threading.Event) -> Window:
        start = time.time()
        self.services.kill("workers")
        log(f"fault: every worker process SIGKILLed; restarting them in {self.args.workers_down:.0f} s")
        stop.wait(self.args.workers_down)
        self.services.restart("workers")
        log("restored: workers started again")
        return Window("workers", start, time.time(), "rundramatiq and its worker processes SIGKILLed, restarted")

    def database_cut(self, stop: threading.Event) -> Window:
        start = time.time()
        count = terminate_connections(self.args.database)
        log(f"fault: {count} database connections terminated")
        return Window("database", start, time.time(), f"pg_terminate_backend on all {count} connections")


def run_faults(args, faults: Faults, t0: float, stop: threading.Event) -> list[Window]:
    plan = sorted(
        [
            (args.redis_at, faults.redis_killed),
            (args.workers_at, faults.workers_killed),
            (args.database_at, faults.database_cut),
        ],
        key=lambda item: item[0],
    )
    windows = []
    for fraction, inject in plan:
        if stop.wait(max(0.0, t0 + fraction * args.duration - time.time())):
            break
        windows.append(inject(stop))
    stop.wait(max(0.0, t0 + args.duration - time.time()))
    return windows


# --- After the run: orders, drains, 5xx -------------------------------------------------------------


def database_figures(run_tag: str, since: datetime) -> dict:
    """The run's orders, payments, receipts and outbox rows, as the database has them."""
    from django.db import close_old_connections
    from oscar.core.loading import get_model

    from shop.orders import statuses
    from shop.outbox.models import OutboxMessage
    from shop.payments.models import Refund
    from shop.receipts.models import Receipt

    close_old_connections()  # the drill terminated this process's connection too
    Order = get_model("order", "Order")
    orders = Order.objects.filter(guest_email__startswith=f"{run_tag}-")
    outbox = OutboxMessage.objects.filter(created_at__gte=since)
    return {
        "orders": dict(orders.values_list("guest_email", "number")),
        "settled": set(orders.filter(status__in=statuses.SETTLED).values_list("number", flat=True)),
        "statuses": Counter(orders.values_list("status", flat=True)),
        "receipts": Receipt.objects.filter(order__in=orders, kind=Receipt.Kind.RECEIPT).count(),
        "refunds": Refund.objects.filter(payment__order__in=orders).count(),
        "outbox_open": outbox.filter(done_at__isnull=True).count(),
        "outbox_republished": sum(outbox.values_list("republished", flat=True)),
    }


def paid_numbers(traffic: Traffic, figures: dict) -> set[str]:
    """Orders the shopper paid at Mollie, and any the shop has as paid."""
    return {a.number for a in traffic.attempts if a.paid_at} | figures["settled"]


def wait_to_drain(traffic: Traffic, smtp: SmtpSink, run_tag: str, since: datetime, timeout: float) -> float | None:
    """Seconds until every paid order has its confirmation and the run's outbox rows are all done."""
    started = time.monotonic()
    while True:
        figures = database_figures(run_tag, since)
        unconfirmed = paid_numbers(traffic, figures) - set(smtp.confirmations())
        waited = time.monotonic() - started
        if not unconfirmed and not figures["outbox_open"]:
            return round(waited, 1)
        if waited > timeout:
            log(
                f"not drained after {timeout:.0f} s: {len(unconfirmed)} paid order(s) unconfirmed, "
                f"{figures['outbox_open']} outbox row(s) not done"
            )
            return None
        time.sleep(1)


def drain_after(window: Window, traffic: Traffic, smtp: SmtpSink, since: datetime) -> float | None:
    """Seconds from the restore until the work that existed by then was done: every outbox row written
    before the restore done, every order paid before it confirmed. None: some never was."""
    from django.db.models import Max

    from shop.outbox.models import OutboxMessage

    restored = datetime.fromtimestamp(window.end, UTC)
    rows = OutboxMessage.objects.filter(created_at__gte=since, created_at__lte=restored)
    if rows.filter(done_at__isnull=True).exists():
        return None
    done = [last.timestamp() for last in [rows.aggregate(last=Max("done_at"))["last"]] if last]
    confirmations = smtp.confirmations()
    for attempt in traffic.attempts:
        if attempt.paid_at and attempt.paid_at <= window.end:
            if attempt.number not in confirmations:
                return None
            done.append(min(confirmations[attempt.number]))
    return round(max(0.0, max(done, default=window.end) - window.end), 1)


def errors_by_window(hits: list[Hit], windows: list[Window], margin: float) -> list[dict]:
    """Requests, 5xx and unanswered requests inside each window and outside all of them."""
    rows = []
    for window in [*windows, None]:
        inside = [
            hit
            for hit in hits
            if (window.holds(hit.at, margin) if window else not any(w.holds(hit.at, margin) for w in windows))
        ]
        errors = [hit for hit in inside if hit.status is None or hit.status >= 500]
        rows.append(
            {
                "window": window.fault if window else "outside",
                "requests": len(inside),
                "5xx": sum(1 for hit in errors if hit.status is not None),
                "unanswered": sum(1 for hit in errors if hit.status is None),
                "paths": dict(Counter(f"{hit.status or 'no answer'} {hit.path}" for hit in errors).most_common()),
            }
        )
    return rows


def order_summary(traffic: Traffic, smtp: SmtpSink, figures: dict) -> dict:
    confirmations = {number: len(times) for number, times in smtp.confirmations().items()}
    placed = set(figures["orders"].values())
    paid = paid_numbers(traffic, figures)
    by_email = {attempt.email: attempt for attempt in traffic.attempts}
    written_unseen = [  # an order written although its shopper never got to Mollie: stock held until it expires
        number for email, number in figures["orders"].items() if not by_email.get(email, Attempt("")).reached_mollie
    ]
    return {
        "checkouts": len(traffic.attempts),
        "placed": len(placed),
        "paid_at_mollie": sum(1 for a in traffic.attempts if a.paid_at),
        "paid_in_shop": len(figures["settled"]),
        "confirmed": sum(1 for number in placed if confirmations.get(number)),
        "receipts": figures["receipts"],
        "lost": sorted(paid - set(confirmations)),
        "doubled": sorted(number for number, count in confirmations.items() if count > 1 and number in placed),
        "thank_you_pages": sum(1 for a in traffic.attempts if a.thanked),
        "placed_without_reaching_mollie": sorted(written_unseen),
        "refunds": figures["refunds"],
        "statuses": dict(figures["statuses"]),
        "outbox_rows_republished": figures["outbox_republished"],
    }


# --- Report ----------------------------------------------------------------------------------------


def print_report(args, orders: dict, windows: list[Window], errors: list[dict], drains: dict, t0: float, extra: dict):
    lost, doubled = orders["lost"], orders["doubled"]
    print(f"\nChaos drill: {args.clients} shoppers for {args.duration:.0f} s ({args.mix})\n")
    print("| checkouts | placed | paid at Mollie | paid in the shop | confirmed | receipts | lost | doubled |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    print(
        f"| {orders['checkouts']} | {orders['placed']} | {orders['paid_at_mollie']} | {orders['paid_in_shop']} "
        f"| {orders['confirmed']} | {orders['receipts']} | {len(lost)} | {len(doubled)} |"
    )
    print("\n| window | from | to | requests | 5xx | no answer | drain after restore | 5xx and unanswered paths |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for row in errors:
        window = next((w for w in windows if w.fault == row["window"]), None)
        span = (f"{window.start - t0:.0f} s", f"{window.end - t0 + args.window_margin:.0f} s") if window else ("", "")
        drain = drains.get(row["window"], "")
        drain = "not drained" if drain is None else (f"{drain} s" if drain != "" else "")
        paths = ", ".join(f"{path} ×{count}" for path, count in row["paths"].items()) or "none"
        name = {"redis": "Redis killed", "workers": "workers killed", "database": "DB connections cut"}.get(
            row["window"], "outside the windows"
        )
        print(
            f"| {name} | {span[0]} | {span[1]} | {row['requests']} | {row['5xx']} | {row['unanswered']} "
            f"| {drain} | {paths} |"
        )
    final = drains["final"]
    print(
        f"\nAfter the clients stopped: drained in {'not drained' if final is None else f'{final} s'}; "
        f"thank-you pages {orders['thank_you_pages']}; outbox rows republished by the sweep "
        f"{orders['outbox_rows_republished']}; refunds {orders['refunds']}; order statuses {orders['statuses']}"
    )
    if orders["placed_without_reaching_mollie"]:
        print(f"Orders written whose shopper never reached Mollie: {orders['placed_without_reaching_mollie']}")
    if extra["exited"]:
        print(f"Processes that exited by themselves: {', '.join(extra['exited'])}")
    for (action, reason), count in extra["failures"].most_common(8):
        print(f"  shopper {action} failed ×{count}: {reason}")
    print(
        f"windows run from the kill to the restore + {args.window_margin:.0f} s; drain after restore: until "
        "the outbox rows written by then were done and the orders paid by then confirmed"
    )
    if lost or doubled:
        print(f"LOST: {lost}  DOUBLED: {doubled}")


def main() -> int:
    args = parse_args()
    run_id = datetime.now().strftime("%Y%m%d-%H%M%S")
    run_tag = f"chaos-{run_id}"
    logs = RESULTS / f"chaos-{run_id}-logs"
    logs.mkdir(parents=True, exist_ok=True)
    VAR.mkdir(parents=True, exist_ok=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the subprocesses on kill too
    seed = args.seed if args.seed is not None else random.randrange(2**32)

    redis = RedisServer(logs)
    redis.start()
    ports = Ports.free()
    env = bench_environment(
        database=args.database, redis_url=redis.url(0), broker_url=redis.url(1), ports=ports, var=VAR
    )
    smtp = SmtpSink(ports.smtp)
    services = Services(env, logs)
    try:
        prepare_database(env, database=args.database, products=args.products, search_index=True)
        setup_django(env)
        site = load_site(env["SHOP_BASE_URL"], bench_products(args.products))
        log(f"{len(site.products)} products, {len(site.categories)} category pages; logs in {logs.relative_to(ROOT)}")
        smtp.controller.start()
        start_services(services, args, ports, scheduler=True)
        log(
            f"simulator, gunicorn ({args.web_workers}×{args.web_threads}), workers, scheduler up; Redis on "
            f"port {redis.port}"
        )

        traffic, stop = Traffic(site), threading.Event()
        since, t0 = datetime.now(UTC), time.time()
        clients = [
            threading.Thread(target=run_client, args=(i, traffic, args, run_tag, stop, seed + i), daemon=True)
            for i in range(args.clients)
        ]
        for client in clients:
            client.start()
        log(f"{args.clients} shoppers for {args.duration:.0f} s (seed {seed})")
        windows = run_faults(args, Faults(args, redis, services), t0, stop)
        stop.set()
        for client in clients:
            client.join(timeout=120)
        log(f"clients stopped after {time.time() - t0:.0f} s; waiting for every paid order's confirmation")
        drains = {"final": wait_to_drain(traffic, smtp, run_tag, since, args.drain_timeout)}
        drains.update({window.fault: drain_after(window, traffic, smtp, since) for window in windows})
        figures = database_figures(run_tag, since)
        exited = services.exited()
    finally:
        log("stopping the simulator, gunicorn, workers, scheduler and Redis")
        services.stop()
        redis.kill()
        smtp.controller.stop()

    orders = order_summary(traffic, smtp, figures)
    errors = errors_by_window(traffic.hits, windows, args.window_margin)
    extra = {"exited": exited, "failures": traffic.failures}
    print_report(args, orders, windows, errors, drains, t0, extra)
    result = {
        "run": run_id,
        "config": {k: v for k, v in vars(args).items() if k != "weights"} | {"seed": seed},
        "orders": orders,
        "windows": [asdict(w) | {"from_s": round(w.start - t0, 1), "to_s": round(w.end - t0, 1)} for w in windows],
        "errors": errors,
        "drains": drains,
        "actions": dict(traffic.actions),
        "shopper_failures": [
            {"action": action, "reason": reason, "count": count} for (action, reason), count in traffic.failures.items()
        ],
        "attempts": [asdict(a) for a in traffic.attempts],
        "processes_exited": exited,
    }
    path = RESULTS / f"chaos-{run_id}.json"
    path.write_text(json.dumps(result, indent=2, default=str) + "\n")
    log(f"result written to {path.relative_to(ROOT)}")
    failed = orders["lost"] or orders["doubled"] or drains["final"] is None
    return 1 if failed else 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        log("interrupted: everything the drill started is stopped")
        sys.exit(130)
