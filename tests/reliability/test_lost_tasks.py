"""Drill: Redis restarts empty while a paid order's tasks are queued. The outbox knows which published
tasks never ran, the sweep publishes them again, and the shopper gets one confirmation with its receipt."""

import email
import time
from datetime import timedelta
from email import policy

import pytest
from dramatiq import Worker
from oscar.core.loading import get_model

from shop.outbox.models import OutboxMessage
from shop.outbox.services import outbox_sweep_lost
from shop.payments.models import Payment
from shop.payments.services.sync import payment_sync
from tests.support.checkout import GUEST_EMAIL, checkout_to_preview, pay_at_mollie, place_order, webhook

Order = get_model("order", "Order")


def wait_until(condition, *, timeout: float = 30, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what}: not within {timeout} s"
        time.sleep(0.1)


def drain(broker):
    """A real worker on the test's broker until every queue is empty."""
    worker = Worker(broker, worker_threads=2, worker_timeout=100)
    worker.start()
    try:
        for _ in range(3):  # a task may queue the next one (payment → confirmation → email)
            for queue in ("payments", "emails", "search", "default"):
                broker.join(queue, timeout=30_000)
            worker.join()
    finally:
        worker.stop()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_paid_orders_tasks_lost_with_redis_are_published_again_and_confirm_it_once(
    private_redis,
    redis_broker,
    mollie,
    smtp_server,
    client,
    lamp,  # the broker first: the product's tasks go there
):
    checkout_to_preview(client, lamp)
    checkout_url = place_order(client)["Location"]
    pay_at_mollie(checkout_url)
    payment = Payment.objects.get(checkout_url=checkout_url)
    webhook(client, payment.mollie_id)  # queues sync_payment in Redis
    payment_sync(payment_id=payment.pk)  # the return page learns it is paid: queues the confirmation in Redis
    assert Order.objects.get(pk=payment.order_id).status == "Paid"
    in_flight = OutboxMessage.objects.filter(published_at__isnull=False, done_at__isnull=True)
    lost = in_flight.count()
    assert {"sync_payment", "send_order_confirmation"} <= set(in_flight.values_list("actor_name", flat=True))
    assert outbox_sweep_lost(older_than=timedelta(0)) == 0, "nothing is lost yet"

    private_redis.stop()
    private_redis.start()  # without persistence: every queued task is gone

    assert outbox_sweep_lost(older_than=timedelta(0)) == lost
    drain(redis_broker)

    confirmations = [
        email.message_from_bytes(m.content, policy=policy.default)
        for m in smtp_server.messages
        if m.rcpt_tos == [GUEST_EMAIL]
    ]
    assert len(confirmations) == 1, [c["Subject"] for c in confirmations]
    attachments = [part.get_filename() for part in confirmations[0].iter_attachments()]
    assert any(name and name.endswith(".pdf") for name in attachments), attachments
    assert not OutboxMessage.objects.filter(done_at__isnull=True).exists(), "every task ran and said so"
    assert outbox_sweep_lost(older_than=timedelta(0)) == 0


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_waiting_for_its_retry_is_not_taken_for_lost(private_redis, redis_broker, settings):
    from django.core.mail import EmailMessage

    from shop.notifications.models import OutgoingEmail
    from tests.support.servers import free_port

    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()  # nobody listens: the send fails
    EmailMessage("Your parcel is on its way", "Soon.", to=["buyer@example.com"]).send()
    worker = Worker(redis_broker, worker_threads=1, worker_timeout=100)
    worker.start()
    try:
        wait_until(lambda: OutgoingEmail.objects.get().attempts == 1, what="the first, failed attempt")
        wait_until(
            lambda: OutboxMessage.objects.get().broker_queue == "emails.DQ",
            what="the retry followed to the delay queue",
        )
    finally:
        worker.stop()

    assert outbox_sweep_lost(older_than=timedelta(0)) == 0
    assert OutboxMessage.objects.get().republished == 0
