"""`make run` has no Redis: the in-process worker runs the same actors from an in-memory broker."""

import time

import pytest
from django.core import mail

from shop.devtools.inprocess import InProcessWorker
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


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_periodic_tasks_run_in_process_too(lamp, stub_broker, carriers, settings):
    """`make run`'s tracking: the scheduler sends the poll, the worker asks the carrier about open parcels."""
    from django.utils import timezone
    from oscar.core.loading import get_model

    from shop.fulfilment.services import shipment_create
    from tests.support.checkout import basket_with, place_pending

    settings.SHOP_TRACKING_POLL_MINUTES = 0
    order = place_pending(basket_with(lamp, 1)).order
    get_model("order", "Order").objects.filter(pk=order.pk).update(status="Paid")
    shipment_create(
        order_id=order.pk, carrier="dhl", tracking_number="JJDINPROCESS01", quantities={order.lines.get().pk: 1}
    )

    worker = InProcessWorker(broker=stub_broker, relay_interval=0.2).start(schedule=True)
    scheduler = worker._scheduler
    try:
        assert scheduler.running
        names = {job.name for job in scheduler.get_jobs()}
        assert {"poll_open_shipments", "reconcile_payments", "cancel_unpaid_orders"} <= names
        poll = next(job for job in scheduler.get_jobs() if job.name == "poll_open_shipments")
        poll.modify(next_run_time=timezone.now())  # rather than wait for the next five-minute mark
        deadline = time.monotonic() + 10
        while not carriers.requests and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        worker.stop()

    assert [request["query"] for request in carriers.requests][:1] == [{"trackingNumber": "JJDINPROCESS01"}]
    assert not scheduler.running
