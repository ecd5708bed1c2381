"""`make run` has no Redis: the in-process worker runs the same actors from an in-memory broker."""

import time

import pytest
from django.core import mail

from shop.core.inprocess import InProcessWorker
from shop.notifications.models import OutgoingEmail


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_sign_up_email_is_delivered_by_the_in_process_worker(client, stub_broker):
    worker = InProcessWorker(broker=stub_broker, relay_interval=0.2).start()
    try:
        client.post(
            "/accounts/signup/",
            {"email": "local@example.com", "password1": "correct-horse-battery", "password2": "correct-horse-battery"},
        )
        deadline = time.monotonic() + 10
        while not mail.outbox and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop()

    assert [message.to for message in mail.outbox] == [["local@example.com"]]
    assert OutgoingEmail.objects.get().status == OutgoingEmail.Status.SENT
