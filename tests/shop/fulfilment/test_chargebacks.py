"""An order whose payment the bank took back does not ship unless staff say so, by name; a reversed
chargeback lets it ship again."""

import pytest
from django.test import Client
from oscar.core.loading import get_model

from shop.fulfilment.errors import ShipmentRefused
from shop.fulfilment.models import Shipment
from shop.fulfilment.services import shipment_create
from tests.support.checkout import webhook
from tests.support.orders import paid_order
from tests.support.tasks import run_outbox
from tests.support.users import login, user_with_login

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db

CLERK = "clerk@example.com"


def staff_client():
    staff = Client()
    user_with_login(CLERK, is_staff=True, permissions=("order.view_order", "shop_fulfilment.add_shipment"))
    login(staff, CLERK)
    return staff


@pytest.fixture
def charged_back(client, lamp, mollie):
    """A paid order of 2 lamps whose payment the shopper's bank has taken back; (order, chargeback JSON)."""
    order = paid_order(client, lamp, quantity=2)
    payment = order.mollie_payments.get()
    chargeback = mollie.create_chargeback(payment.mollie_id, notify=False)
    webhook(client, payment.mollie_id)
    run_outbox()
    return order, chargeback


def ship_form(order, **extra):
    return {"carrier": "postnl", "tracking_number": "3SSHOP0000001", f"line_{order.lines.get().pk}": "2", **extra}


def test_a_charged_back_order_ships_only_when_staff_tick_the_override(charged_back):
    order, chargeback = charged_back
    staff = staff_client()
    page = staff.get(f"/shop/dashboard/orders/{order.number}/").content.decode()
    assert 'id="ship-form"' in page and 'name="chargeback_override"' in page and chargeback["id"] in page

    refused = staff.post(f"/shop/dashboard/orders/{order.number}/shipments/", ship_form(order), follow=True)

    assert not Shipment.objects.exists() and Order.objects.get().status == "Paid"
    assert "chargeback" in refused.content.decode().lower()
    with pytest.raises(ShipmentRefused, match="chargeback"):  # the service refuses too, not only the page
        shipment_create(order_id=order.pk, carrier="dhl", tracking_number="JJD1", quantities={order.lines.get().pk: 2})

    staff.post(f"/shop/dashboard/orders/{order.number}/shipments/", ship_form(order, chargeback_override="on"))

    assert Shipment.objects.get().created_by.email == CLERK
    note = order.notes.get(message__contains="despite")
    assert note.user.email == CLERK and chargeback["id"] in note.message


def test_a_reversed_chargeback_lets_the_order_ship_again(client, charged_back, mollie):
    order, chargeback = charged_back
    payment = order.mollie_payments.get()
    mollie.reverse_chargeback(payment.mollie_id, chargeback["id"], notify=False)
    webhook(client, payment.mollie_id)
    run_outbox()
    staff = staff_client()
    assert 'name="chargeback_override"' not in staff.get(f"/shop/dashboard/orders/{order.number}/").content.decode()

    staff.post(f"/shop/dashboard/orders/{order.number}/shipments/", ship_form(order))

    assert Shipment.objects.exists() and Order.objects.get().status == "Shipped"
    assert not order.notes.filter(message__contains="despite").exists()
