"""A pay-later payment is charged when its order ships. Fulfilment announces the parcel (a signal) and payments
queues the capture inside the shipping transaction: a shipment that rolls back leaves no capture behind."""

import pytest
from django.db import transaction

from shop.fulfilment.services import shipment_create
from shop.outbox.models import OutboxMessage
from shop.payments.constants import CAPTURE_PAYMENT
from tests.support.orders import paid_order

pytestmark = pytest.mark.django_db


class ShippingAborted(Exception):
    """Something after the shipment, in the same transaction, failed."""


def ship(order, *, number: str = "3SSHOP0000001"):
    line = order.lines.get()
    return shipment_create(order_id=order.pk, carrier="postnl", tracking_number=number, quantities={line.pk: 1})


def captures_queued(order) -> int:
    return OutboxMessage.objects.filter(actor_name=CAPTURE_PAYMENT, args=[order.pk]).count()


def test_shipping_an_authorized_order_queues_its_capture_once_per_parcel(client, lamp, mollie):
    order = paid_order(client, lamp, quantity=2, method="klarna")
    assert order.status == "Authorized" and captures_queued(order) == 0

    ship(order, number="3SSHOP0000001")
    assert captures_queued(order) == 1
    ship(order, number="3SSHOP0000002")  # still authorized: each parcel asks, the capture runs once at Mollie
    assert captures_queued(order) == 2


def test_a_shipment_that_rolls_back_queues_no_capture(client, lamp, mollie):
    order = paid_order(client, lamp, method="klarna")

    with pytest.raises(ShippingAborted), transaction.atomic():
        ship(order)
        raise ShippingAborted

    assert captures_queued(order) == 0 and not order.shipments.exists()


def test_shipping_an_order_paid_in_full_queues_no_capture(client, lamp, mollie):
    order = paid_order(client, lamp, method="ideal")

    ship(order)

    assert order.shipments.count() == 1 and captures_queued(order) == 0
