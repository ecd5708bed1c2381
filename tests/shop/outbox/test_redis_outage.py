"""The task path survives a broker outage: sign up while Redis is down, get exactly one email."""

import time

import pytest
from dramatiq import Worker

from shop.notifications.models import OutgoingEmail
from shop.outbox.models import OutboxMessage
from shop.outbox.services import outbox_relay

EMAIL = "newcomer@example.com"


def drain(broker, queue="emails"):
    worker = Worker(broker, worker_threads=1, worker_timeout=100)
    worker.start()
    try:
        broker.join(queue, timeout=20_000)
        worker.join()
    finally:
        worker.stop()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_signup_during_redis_outage_sends_exactly_one_email(client, private_redis, redis_broker, smtp_server):
    private_redis.stop()

    started = time.monotonic()
    response = client.post(
        "/accounts/signup/",
        {"email": EMAIL, "password1": "correct-horse-battery", "password2": "correct-horse-battery"},
    )
    elapsed = time.monotonic() - started

    assert response.status_code == 302, "sign-up must succeed with the broker down"
    assert elapsed < 10, f"a broker outage must not stall the request ({elapsed:.1f}s)"
    pending = OutboxMessage.objects.get()
    assert pending.published_at is None and pending.attempts == 1 and pending.last_error
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.QUEUED

    private_redis.start()
    assert outbox_relay() == 1
    assert outbox_relay() == 0, "a published row is never published again"
    drain(redis_broker)

    assert [message.rcpt_tos for message in smtp_server.messages] == [[EMAIL]]
    sent = OutgoingEmail.objects.get()
    assert sent.status == OutgoingEmail.Status.SENT
    assert "confirm" in sent.body.lower()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_duplicate_delivery_task_sends_nothing_twice(client, private_redis, redis_broker, smtp_server):
    from shop.notifications.tasks import send_email

    client.post(
        "/accounts/signup/",
        {"email": EMAIL, "password1": "correct-horse-battery", "password2": "correct-horse-battery"},
    )
    email = OutgoingEmail.objects.get()
    send_email.send(email.pk)  # at-least-once delivery: the same task arrives again
    drain(redis_broker)

    assert len(smtp_server.messages) == 1
    OutgoingEmail.objects.get(pk=email.pk, status=OutgoingEmail.Status.SENT)
