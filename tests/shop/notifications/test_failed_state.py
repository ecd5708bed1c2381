"""An email Dramatiq gives up on ends `failed`, with its last error kept."""

import logging
from datetime import timedelta

import dramatiq_crontab
import pytest
from django.core.mail import EmailMessage
from django.utils import timezone
from dramatiq import Worker

from shop.notifications.models import OutgoingEmail
from shop.notifications.services import email_deliver, email_fail_abandoned
from shop.notifications.tasks import abandoned_after, fail_abandoned_emails, send_email
from shop.outbox.models import OutboxMessage
from tests.support.servers import free_port


@pytest.fixture
def smtp_down(settings):
    """Delivery through Django's SMTP backend to a port nobody listens on."""
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = free_port()
    settings.EMAIL_USE_TLS = False


def drain(broker, queue="emails"):
    """Run a real Dramatiq worker until the queue, its retries included, is empty."""
    worker = Worker(broker, worker_threads=1, worker_timeout=100)
    worker.start()
    try:
        broker.join(queue, timeout=30_000, fail_fast=False)
        worker.join()
    finally:
        worker.stop()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_email_ends_failed_when_its_retries_run_out(stub_broker, smtp_down, monkeypatch, caplog):
    # The real path: stored by the backend, relayed from the outbox after commit, retried by
    # Dramatiq's Retries middleware with the actor's own options (made small and fast here).
    monkeypatch.setitem(send_email.options, "max_retries", 2)
    monkeypatch.setitem(send_email.options, "min_backoff", 10)
    monkeypatch.setitem(send_email.options, "max_backoff", 50)
    EmailMessage("Your order shipped", "It is on its way.", to=["buyer@example.com"]).send()
    assert stub_broker.queues["emails"].qsize() == 1, "the outbox relayed the delivery task"

    with caplog.at_level(logging.ERROR, logger="shop.notifications.services"):
        drain(stub_broker)

    failed = OutgoingEmail.objects.get()
    assert failed.status == OutgoingEmail.Status.FAILED
    assert failed.attempts == 3, "one attempt plus two retries"
    assert "ConnectionRefusedError" in failed.last_error
    assert len(stub_broker.dead_letters) == 1, "Dramatiq gave the message up on the same attempt"
    assert any("failed for good" in r.getMessage() and str(failed.pk) in r.getMessage() for r in caplog.records)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_max_retries_given_with_the_message_decides_the_last_attempt(stub_broker, smtp_down):
    email = OutgoingEmail.objects.create(subject="Reset", from_email="shop@example.com", to=["a@example.com"])

    send_email.send_with_options(args=(email.pk,), max_retries=0)  # no retry: the first attempt is the last
    drain(stub_broker)

    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, 1)


@pytest.mark.django_db
def test_a_failure_before_the_last_attempt_keeps_the_email_queued_and_a_failed_email_is_not_sent(smtp_down):
    email = OutgoingEmail.objects.create(subject="Hi", from_email="shop@example.com", to=["a@example.com"])

    with pytest.raises(ConnectionRefusedError):
        email_deliver(email_id=email.pk)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.QUEUED, 1)
    assert "ConnectionRefusedError" in email.last_error

    with pytest.raises(ConnectionRefusedError):
        email_deliver(email_id=email.pk, final_attempt=True)
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, 2)

    # A late duplicate of the task leaves a failed email alone (no attempt, no exception).
    assert email_deliver(email_id=email.pk) is False
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutgoingEmail.Status.FAILED, 2)


def queued_email(subject: str, *, age: timedelta, last_error: str = "") -> OutgoingEmail:
    email = OutgoingEmail.objects.create(
        subject=subject, from_email="shop@example.com", to=["a@example.com"], last_error=last_error
    )
    OutgoingEmail.objects.filter(pk=email.pk).update(created_at=timezone.now() - age)  # auto_now_add otherwise
    return email


def delivery_task(email: OutgoingEmail, *, published_ago: timedelta | None) -> None:
    OutboxMessage.objects.create(
        actor_name="send_email",
        queue_name="emails",
        args=[email.pk],
        published_at=None if published_ago is None else timezone.now() - published_ago,
    )


@pytest.mark.django_db
def test_emails_whose_task_outlived_max_age_end_failed_and_are_logged(caplog):
    expired = abandoned_after() + timedelta(hours=1)
    dropped = queued_email("Dropped by AgeLimit", age=expired, last_error="SMTPServerDisconnected()")
    delivery_task(dropped, published_ago=expired)
    pruned = queued_email("Outbox row pruned", age=timedelta(days=30))  # published rows go after a week
    resent = queued_email("Sent again by staff", age=expired)
    delivery_task(resent, published_ago=expired)
    delivery_task(resent, published_ago=timedelta(minutes=5))  # a fresh message is still alive
    delayed = queued_email("Relay waited for Redis", age=expired)
    delivery_task(delayed, published_ago=None)  # not published yet: its message does not exist yet
    queued_email("Just queued", age=timedelta(minutes=5))
    sent = queued_email("Delivered long ago", age=expired)
    OutgoingEmail.objects.filter(pk=sent.pk).update(status=OutgoingEmail.Status.SENT)

    with caplog.at_level(logging.ERROR, logger="shop.notifications.services"):
        fail_abandoned_emails()  # the periodic job, run in-line

    status = dict(OutgoingEmail.objects.values_list("subject", "status"))
    assert status == {
        "Dropped by AgeLimit": "failed",
        "Outbox row pruned": "failed",
        "Sent again by staff": "queued",
        "Relay waited for Redis": "queued",
        "Just queued": "queued",
        "Delivered long ago": "sent",
    }
    dropped.refresh_from_db()
    assert dropped.last_error.startswith("abandoned") and "SMTPServerDisconnected()" in dropped.last_error
    logged = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any(str(dropped.pk) in line and "Dropped by AgeLimit" in line for line in logged)
    assert any(str(pruned.pk) in line and "Outbox row pruned" in line for line in logged)
    assert len(logged) == 2


@pytest.mark.django_db
def test_live_emails_in_front_do_not_hide_abandoned_ones_behind_them():
    expired = abandoned_after() + timedelta(hours=1)
    waiting = [queued_email(f"Waiting {n}", age=expired) for n in range(3)]
    for email in waiting:
        delivery_task(email, published_ago=None)  # a long broker outage: still to be relayed
    behind = queued_email("Abandoned behind them", age=expired)

    assert email_fail_abandoned(older_than=abandoned_after(), batch_size=2) == 1

    assert OutgoingEmail.objects.get(pk=behind.pk).status == OutgoingEmail.Status.FAILED
    assert OutgoingEmail.objects.filter(status=OutgoingEmail.Status.QUEUED).count() == 3


def test_the_abandoned_email_sweep_is_a_periodic_job_and_waits_out_the_task_age_limit():
    assert "fail_abandoned_emails" in {job.name for job in dramatiq_crontab.scheduler.get_jobs()}
    assert abandoned_after() > timedelta(milliseconds=send_email.options["max_age"])
