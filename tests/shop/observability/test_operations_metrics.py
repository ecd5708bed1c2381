"""The series the alerts watch: the scheduler's heartbeat, paid orders without their confirmation,
Dramatiq's per-queue counts, and a worker endpoint that answers the monitoring networks only."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import dramatiq
import pytest
import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from dramatiq import Worker
from oscar.core.loading import get_model
from prometheus_client import REGISTRY, values
from prometheus_client.parser import text_string_to_metric_families

from shop.communications.emails import order_confirmation_send
from shop.observability import worker_exposition
from shop.observability.models import Heartbeat
from shop.orders import statuses
from shop.orders.services import order_status_move
from tests.support.checkout import basket_with, place_pending

Order = get_model("order", "Order")
OrderStatusChange = get_model("order", "OrderStatusChange")
ROOT = Path(__file__).resolve().parents[3]


def gauges(client) -> dict[str, float]:
    body = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    return {
        sample.name: sample.value
        for family in text_string_to_metric_families(body)
        for sample in family.samples
        if not sample.labels
    }


def wait_until(condition, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout} s")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_running_scheduler_beats_into_the_database_and_metrics_show_when(client):
    assert gauges(client)["shop_scheduler_last_tick_timestamp_seconds"] == 0  # never ran: the alert fires
    database = settings.DATABASES["default"]
    scheduler = subprocess.Popen(
        [sys.executable, "manage.py", "scheduler"],
        cwd=ROOT,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "shop.settings.test",
            "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
            "SCHEDULER_HEARTBEAT_SECONDS": "1",
            "SCHEDULER_LOCK_REFRESH_SECONDS": "1",
            "SCHEDULER_LOCK_TIMEOUT_SECONDS": "3",
        },
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        first = wait_until(
            lambda: Heartbeat.objects.filter(name="scheduler").first(), timeout=60, what="the first heartbeat"
        )
        wait_until(
            lambda: Heartbeat.objects.get(name="scheduler").beat_at > first.beat_at, timeout=10, what="a second beat"
        )
        tick = gauges(client)["shop_scheduler_last_tick_timestamp_seconds"]
    finally:
        scheduler.send_signal(signal.SIGTERM)
        assert scheduler.wait(timeout=30) == 0
    assert abs(time.time() - tick) < 10


@pytest.mark.django_db
def test_a_paid_order_without_its_confirmation_counts_until_the_confirmation_is_stored(client, lamp):
    order = place_pending(basket_with(lamp)).order
    with transaction.atomic():
        order_status_move(order=Order.objects.select_for_update().get(pk=order.pk), status=statuses.PAID)
    # Paid eleven minutes ago, and the confirmation task never ran (lost with the broker, say).
    OrderStatusChange.objects.filter(order=order).update(date_created=timezone.now() - timedelta(minutes=11))

    waiting = gauges(client)
    order_confirmation_send(order_id=order.pk)
    confirmed = gauges(client)

    assert waiting["shop_paid_orders_unconfirmed"] == 1
    assert 11 * 60 <= waiting["shop_paid_orders_unconfirmed_oldest_seconds"] < 12 * 60
    assert confirmed["shop_paid_orders_unconfirmed"] == 0
    assert confirmed["shop_paid_orders_unconfirmed_oldest_seconds"] == 0


@pytest.mark.django_db
def test_an_order_still_waiting_for_its_payment_is_not_counted_as_unconfirmed(client, lamp):
    place_pending(basket_with(lamp))
    assert gauges(client)["shop_paid_orders_unconfirmed"] == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # the outbox middleware looks for rows
def test_task_metrics_count_each_queue_s_messages_failures_retries_and_dead_letters(stub_broker):
    @dramatiq.actor(queue_name="metrics-drill", max_retries=1, min_backoff=10, max_backoff=10)
    def always_fails():
        raise RuntimeError("drill")

    @dramatiq.actor(queue_name="metrics-drill")
    def succeeds():
        pass

    def count(name, actor):
        labels = {"queue_name": "metrics-drill", "actor_name": actor}
        return REGISTRY.get_sample_value(name, labels) or 0

    names = [
        "dramatiq_messages_total",
        "dramatiq_message_errors_total",
        "dramatiq_message_retries_total",
        "dramatiq_message_rejects_total",
        "shop_task_queue_wait_seconds_count",
    ]
    before = {(name, actor): count(name, actor) for name in names for actor in ("always_fails", "succeeds")}
    worker = Worker(stub_broker, worker_timeout=50)
    worker.start()
    try:
        always_fails.send()
        succeeds.send()
        stub_broker.join("metrics-drill", fail_fast=False, timeout=10_000)
        worker.join()
    finally:
        worker.stop()

    def delta(name, actor):
        return count(name, actor) - before[(name, actor)]

    # One failure, retried once, then dead-lettered: two runs, two errors.
    assert [delta(name, "always_fails") for name in names] == [2, 2, 1, 1, 2]
    assert [delta(name, "succeeds") for name in names] == [1, 0, 0, 0, 1]
    assert (
        REGISTRY.get_sample_value(
            "dramatiq_messages_inprogress", {"queue_name": "metrics-drill", "actor_name": "succeeds"}
        )
    ) == 0


def _serve(networks: list[str]):
    server = worker_exposition.server("127.0.0.1:0", networks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/metrics"


def test_the_worker_endpoint_answers_the_monitoring_networks_only(tmp_path, monkeypatch):
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    outside, outside_url = _serve(["10.0.0.0/8", "::1/128"])
    inside, inside_url = _serve(["127.0.0.0/8"])
    try:
        refused = requests.get(outside_url, timeout=5)
        served = requests.get(inside_url, timeout=5)
    finally:
        outside.shutdown()
        inside.shutdown()
    assert refused.status_code == 403
    assert served.status_code == 200 and served.headers["Content-Type"].startswith("text/plain")


def test_a_worker_address_must_name_host_and_port():
    assert worker_exposition.split_address("[::]:9191") == ("::", 9191)
    with pytest.raises(ValueError):
        worker_exposition.split_address("9191")


@pytest.mark.django_db
def test_with_several_web_processes_metrics_sum_their_files_and_add_the_database_gauges_once(
    client, tmp_path, monkeypatch
):
    # A second web process (gunicorn worker) counted two orders in the shared directory.
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(tmp_path))
    value_class = values.MultiProcessValue(process_identifier=lambda: 4242)
    other = value_class("counter", "shop_orders_placed", "shop_orders_placed_total", [], [], "Orders placed")
    other.inc(2)

    body = client.get("/metrics", REMOTE_ADDR="127.0.0.1").content.decode()
    found = {sample.name: sample.value for family in text_string_to_metric_families(body) for sample in family.samples}

    assert found["shop_orders_placed_total"] == 2
    assert body.count("# TYPE shop_outbox_pending gauge") == 1 and found["shop_outbox_pending"] == 0
