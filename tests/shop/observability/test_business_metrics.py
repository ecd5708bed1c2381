"""After an order and a refund, the web's /metrics and a real worker's endpoint show each business series.

The worker is `manage.py worker` in a process group of its own (a `dramatiq` main process, one worker
process, the metrics fork), on the test database and a Redis broker this test owns: its endpoint sums
what the worker processes counted, which only works if the multiprocess directory was in place before
they imported prometheus_client.
"""

import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from django.conf import settings
from oscar.core.loading import get_model
from prometheus_client.parser import text_string_to_metric_families

from shop.notifications.models import OutgoingEmail
from shop.orders.services import OutOfStock
from shop.payments.models import Payment, Refund
from shop.payments.services.refunds import refund_create
from tests.support.checkout import basket_with, checkout_to_preview, pay_at_mollie, place_order, place_pending, webhook
from tests.support.servers import free_port

Order = get_model("order", "Order")
ROOT = Path(__file__).resolve().parents[3]


def samples(body: str) -> dict[tuple, float]:
    """{(name, (label pairs…)): value} of a Prometheus text exposition."""
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
    }


def value(found: dict, name: str, **labels) -> float:
    return found[(name, tuple(sorted(labels.items())))]


def web_metrics(client) -> dict:
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1")
    assert response.status_code == 200
    return samples(response.content.decode())


def worker_process(*, broker_url: str, mollie, metrics_port: int, metrics_dir: Path, log: Path) -> subprocess.Popen:
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "WORKER_METRICS_DIR": str(metrics_dir),  # (by default a directory under /tmp named after the port)
        "DJANGO_SETTINGS_MODULE": "shop.settings.test",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "BROKER_URL": broker_url,
        "MOLLIE_API_ENDPOINT": mollie.url,
        "MOLLIE_API_KEY": settings.MOLLIE_API_KEY,
        "WORKER_METRICS_ADDRESS": f"127.0.0.1:{metrics_port}",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "worker", "--processes", "1", "--threads", "2"],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_until(condition, *, timeout: float, what: str, log: Path | None = None):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    tail = "\n".join(log.read_text().splitlines()[-30:]) if log else ""
    raise AssertionError(f"{what}: not within {timeout} s\n{tail}")


def scrape(port: int):
    try:
        response = requests.get(f"http://127.0.0.1:{port}/metrics", timeout=5)
    except requests.ConnectionError:
        return None
    return samples(response.text) if response.status_code == 200 else None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_after_an_order_and_a_refund_web_and_worker_metrics_show_each_business_series(
    client, lamp, mollie, private_redis, redis_broker, tmp_path
):
    port = free_port()
    log = tmp_path / "worker.log"
    worker = worker_process(
        broker_url=private_redis.url,
        mollie=mollie,
        metrics_port=port,
        metrics_dir=tmp_path / "worker-metrics",
        log=log,
    )
    try:
        # The endpoint starts once the worker process has booted (Django and every task module loaded).
        wait_until(lambda: scrape(port) is not None, timeout=180, what="the worker's metrics endpoint", log=log)
        web_before = web_metrics(client)
        # A shopper searches; another wants six lamps of the five in stock and is refused.
        assert client.get("/shop/search/", {"q": "lamp"}).status_code == 200
        with pytest.raises(OutOfStock):
            place_pending(basket_with(lamp, 6))
        # An order of one, paid by iDEAL.
        checkout_to_preview(client, lamp, method="ideal")
        pay_at_mollie(place_order(client)["Location"])
        payment = Payment.objects.get()
        assert webhook(client, payment.mollie_id).status_code == 200

        # The worker applies the payment and sends the confirmation.
        order = wait_until(
            lambda: Order.objects.filter(status="Paid").first(),
            timeout=90,
            what="the order paid by the worker",
            log=log,
        )
        wait_until(
            lambda: OutgoingEmail.objects.filter(status="sent").count() == 1,
            timeout=60,
            what="the confirmation",
            log=log,
        )

        # Staff refund €10; Mollie settles it and calls the webhook; the worker applies it and sends the credit note.
        refund_create(order_id=order.pk, amount=Decimal("10.00"), description="Scratched", user=None)
        mollie.settle_refunds(payment.mollie_id)
        assert webhook(client, payment.mollie_id).status_code == 200
        wait_until(lambda: Refund.objects.filter(status="refunded").exists(), timeout=60, what="the refund", log=log)
        wait_until(
            lambda: OutgoingEmail.objects.filter(status="sent").count() == 2,
            timeout=60,
            what="the refund email",
            log=log,
        )

        web = web_metrics(client)
        worker_seen = wait_until(
            lambda: (
                (found := scrape(port))
                and found.get(("shop_emails_sent_total", ())) == 2
                and found.get(("dramatiq_messages_total", (("actor_name", "send_email"), ("queue_name", "emails"))))
                == 2
                and found
            ),
            timeout=30,
            what="the worker's endpoint counting both emails",
        )
        refused = client.get("/metrics", REMOTE_ADDR="203.0.113.9")
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)

    def web_delta(name, **labels):
        return value(web, name, **labels) - web_before.get((name, tuple(sorted(labels.items()))), 0)

    # The web: state from PostgreSQL ...
    assert value(web, "shop_orders", status="Paid") == 1
    assert value(web, "shop_payments", method="ideal", status="paid") == 1
    assert value(web, "shop_refunds", status="refunded") == 1
    assert value(web, "shop_chargebacks_recorded", state="open") == 0
    assert value(web, "shop_paid_orders_unconfirmed") == 0
    assert value(web, "shop_outbox_pending") == 0
    assert value(web, "shop_emails_failed") == 0
    assert ("shop_scheduler_last_tick_timestamp_seconds", ()) in web
    assert ("shop_queue_oldest_in_flight_seconds", (("queue", "payments"),)) not in web  # every task ran
    # ... and what the requests did.
    assert web_delta("shop_orders_placed_total") == 1
    assert web_delta("shop_stock_conflicts_total", stage="checkout") == 1
    assert web_delta("shop_mollie_webhooks_total", outcome="queued") == 2
    assert web_delta("shop_mollie_requests_total", operation="create payment", outcome="ok") == 1
    assert web_delta("shop_mollie_requests_total", operation="create refund", outcome="ok") == 1
    assert web_delta("shop_refund_status_changes_total", status="pending") == 1
    assert web_delta("shop_search_duration_seconds_count", backend="postgres") >= 1
    assert value(web, "shop_carrier_pushes_total", carrier="postnl", outcome="accepted") >= 0
    # The worker: what its tasks did, counted in its worker process, served by its metrics process.
    w = worker_seen
    assert value(w, "shop_payment_status_changes_total", method="ideal", status="paid") == 1
    assert value(w, "shop_payment_status_lag_seconds_count", status="paid") == 1
    assert value(w, "shop_orders_paid_total") == 1
    assert value(w, "shop_refund_status_changes_total", status="refunded") == 1
    assert value(w, "shop_mollie_requests_total", operation="get payment", outcome="ok") >= 2
    assert value(w, "shop_email_send_errors_total", final="yes") == 0
    assert value(w, "shop_carrier_polls_total", carrier="dhl", outcome="unavailable") == 0
    sync = {"queue_name": "payments", "actor_name": "sync_payment"}
    assert value(w, "dramatiq_messages_total", **sync) == 2
    assert value(w, "dramatiq_message_errors_total", **sync) == 0
    assert value(w, "dramatiq_message_duration_milliseconds_count", **sync) == 2
    assert value(w, "shop_task_queue_wait_seconds_count", **sync) == 2
    assert value(w, "dramatiq_messages_total", queue_name="emails", actor_name="send_order_confirmation") == 1
    # An outside caller gets nothing.
    assert refused.status_code == 403
