"""Mollie's webhook: only an id is taken from the request; the state comes from Mollie, applied once."""

import email
import logging
import time

import pytest
from dramatiq import Worker
from oscar.core.loading import get_model

from shop.outbox.models import OutboxMessage
from shop.outbox.services import outbox_relay
from shop.payments.models import Payment
from tests.support.checkout import (
    GUEST_EMAIL,
    checkout_to_preview,
    pay_at_mollie,
    place_order,
    webhook,
)
from tests.support.tasks import run_outbox

Order = get_model("order", "Order")


@pytest.fixture
def pending_order(client, lamp, mollie):
    checkout_to_preview(client, lamp, method="creditcard")
    checkout_url = place_order(client)["Location"]
    return Order.objects.get(), Payment.objects.get(), checkout_url


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{}, {"id": ""}, {"id": "ord_123"}, {"id": "tr_<script>"}])
def test_a_malformed_id_is_refused_with_a_reason(client, body):
    response = client.post("/payments/mollie/webhook/", body)

    assert response.status_code == 400
    assert b"id=tr_" in response.content
    assert not OutboxMessage.objects.exists()


@pytest.mark.django_db
def test_an_unknown_id_gets_200_and_changes_nothing(client, pending_order):
    order, payment, _ = pending_order

    response = webhook(client, "tr_forged12345")

    assert response.status_code == 200
    assert not OutboxMessage.objects.filter(actor_name="sync_payment").exists()
    order.refresh_from_db()
    assert order.status == "Pending payment"


@pytest.mark.django_db
def test_a_webhook_claiming_nothing_new_changes_nothing(client, pending_order):
    order, payment, _ = pending_order  # still open at Mollie: a forged "it is paid" call learns that

    assert webhook(client, payment.mollie_id).status_code == 200
    run_outbox()

    order.refresh_from_db()
    payment.refresh_from_db()
    assert order.status == "Pending payment" and payment.status == "open"
    assert not order.payment_events.exists()


@pytest.mark.django_db
def test_the_same_paid_webhook_five_times_pays_once_and_emails_once(client, pending_order, mollie, smtp_server):
    order, payment, checkout_url = pending_order
    pay_at_mollie(checkout_url)

    for _ in range(5):
        assert webhook(client, payment.mollie_id).status_code == 200
        run_outbox()

    order.refresh_from_db()
    assert order.status == "Paid"
    assert order.payment_events.filter(event_type__name="Paid").count() == 1
    assert order.sources.count() == 1 and order.receipts.count() == 1
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db
def test_a_webhook_before_the_return_page_leaves_the_return_page_showing_the_confirmation(client, pending_order):
    order, payment, checkout_url = pending_order
    return_path = pay_at_mollie(checkout_url)
    webhook(client, payment.mollie_id)
    run_outbox()

    response = client.get(return_path)

    assert response.status_code == 302 and response["Location"] == "/shop/checkout/thank-you/"
    assert Order.objects.get().status == "Paid"


@pytest.mark.django_db
def test_an_amount_mismatch_is_refused_and_logged(client, pending_order, caplog):
    order, payment, checkout_url = pending_order
    pay_at_mollie(checkout_url)
    Payment.objects.filter(pk=payment.pk).update(amount=payment.amount + 1)  # what we asked for differs

    webhook(client, payment.mollie_id)
    with caplog.at_level(logging.ERROR, logger="shop.payments.services"):
        run_outbox()

    order.refresh_from_db()
    assert order.status == "Pending payment"
    assert "refused" in caplog.text and payment.mollie_id in caplog.text
    assert Payment.objects.get().status == "open"


@pytest.mark.django_db
def test_bank_transfer_waits_with_instructions_then_pays(client, lamp, mollie, smtp_server):
    checkout_to_preview(client, lamp, method="banktransfer")
    response = place_order(client)
    payment = Payment.objects.get()
    return_path = pay_at_mollie(response["Location"], status="open")

    page = client.get(return_path)
    run_outbox()
    client.get(return_path)  # reloading sends nothing twice
    run_outbox()

    assert page.status_code == 200 and page.context["state"] == "awaiting_transfer"
    reference = Payment.objects.get().details["transferReference"]
    assert reference.encode() in page.content
    assert len(smtp_server.messages) == 1
    instructions = email.message_from_bytes(smtp_server.messages[0].content)
    text = next(part for part in instructions.walk() if part.get_content_type() == "text/plain")
    assert "transfer" in instructions["Subject"] and reference in text.get_payload(decode=True).decode()

    mollie.set_status(payment.mollie_id, "paid", notify=False)  # the transfer arrives days later
    webhook(client, payment.mollie_id)
    run_outbox()

    assert Order.objects.get().status == "Paid"
    assert [m.rcpt_tos for m in smtp_server.messages] == [[GUEST_EMAIL], [GUEST_EMAIL]]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_redis_down_at_the_moment_of_payment_loses_nothing(
    client, lamp, mollie, private_redis, redis_broker, smtp_server
):
    checkout_to_preview(client, lamp, method="ideal")
    checkout_url = place_order(client)["Location"]
    payment = Payment.objects.get()
    pay_at_mollie(checkout_url)
    private_redis.stop()

    started = time.monotonic()
    response = webhook(client, payment.mollie_id)

    assert response.status_code == 200 and time.monotonic() - started < 10
    assert OutboxMessage.objects.filter(actor_name="sync_payment", published_at__isnull=True).count() == 1

    private_redis.start()
    outbox_relay()
    worker = Worker(redis_broker, worker_threads=2, worker_timeout=100)
    worker.start()
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not smtp_server.messages:
            outbox_relay()  # what the periodic relay does for rows written by the actors
            time.sleep(0.2)
        redis_broker.join("payments", timeout=10_000)
        redis_broker.join("emails", timeout=10_000)
    finally:
        worker.stop()

    assert Order.objects.get().status == "Paid"
    assert [m.rcpt_tos for m in smtp_server.messages] == [[GUEST_EMAIL]]


@pytest.mark.django_db
def test_mollie_unreachable_at_place_order_keeps_the_order_and_offers_to_try_again(client, lamp, mollie, settings):
    checkout_to_preview(client, lamp, method="ideal")
    settings.MOLLIE_API_ENDPOINT = "http://127.0.0.1:9"  # nothing listens there

    response = place_order(client, follow=True)

    order = Order.objects.get()
    assert order.status == "Pending payment"
    assert response.context["state"] == "failed"  # nothing to wait for: no payment exists at Mollie
    assert "could not reach our payment provider" in response.content.decode()

    settings.MOLLIE_API_ENDPOINT = mollie.url
    path = f"/shop/checkout/payment/{order.number}/{order.verification_hash()}/pay/"
    retry = client.post(path, {"method": "ideal"})

    payment = Payment.objects.get()  # the same attempt, created at Mollie now
    assert retry.status_code == 302 and retry["Location"] == payment.checkout_url
    assert mollie.payments_created() == 1


def sync_rows(payment) -> list:
    return list(OutboxMessage.objects.filter(actor_name="sync_payment", args=[payment.pk]))


@pytest.mark.django_db
def test_repeated_deliveries_while_a_sync_is_queued_queue_one_sync(client, pending_order, settings):
    order, payment, checkout_url = pending_order
    pay_at_mollie(checkout_url)
    settings.SHOP_MOLLIE_WEBHOOK_RATE = 25  # above the 21 deliveries here: this test is about coalescing

    answers = [webhook(client, payment.mollie_id).status_code for _ in range(20)]

    assert answers == [200] * 20
    assert len(sync_rows(payment)) == 1  # one outbox row: one queued sync, up to three Mollie calls
    run_outbox()
    assert Order.objects.get().status == "Paid"
    assert webhook(client, payment.mollie_id).status_code == 200  # the sync started: news is queued again
    assert len(sync_rows(payment)) == 2


@pytest.mark.django_db
def test_deliveries_of_one_id_past_the_rate_limit_get_429_with_a_reason(client, pending_order, settings):
    order, payment, _ = pending_order
    settings.SHOP_MOLLIE_WEBHOOK_RATE = 3

    answers = [webhook(client, payment.mollie_id) for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert b"Too many" in answers[-1].content and answers[-1]["Retry-After"]
    assert webhook(client, "tr_unknown123").status_code == 200  # other ids are counted on their own


@pytest.mark.django_db
def test_the_webhook_queues_the_sync_when_the_cache_is_down(client, pending_order, settings, caplog):
    order, payment, checkout_url = pending_order
    pay_at_mollie(checkout_url)
    settings.CACHES = {  # the rate-limit counters' Redis is gone: nothing listens on port 9
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": "redis://127.0.0.1:9/0"}
    }

    with caplog.at_level(logging.WARNING, logger="shop.payments.views"):
        answers = [webhook(client, payment.mollie_id).status_code for _ in range(3)]

    assert answers == [200, 200, 200] and len(sync_rows(payment)) == 1
    assert "rate limit unavailable" in caplog.text
    run_outbox()
    assert Order.objects.get().status == "Paid"
