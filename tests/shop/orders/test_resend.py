"""Staff send an order's email again from the dashboard: the confirmation with its receipt, or a parcel's latest."""

import email

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model

from shop.accounts.roles import CATALOGUE_MANAGERS, CUSTOMER_SERVICE, FULFILMENT
from shop.fulfilment.carriers.base import CarrierEvent, Milestone
from shop.fulfilment.services import shipment_create, tracking_events_apply
from tests.support.checkout import checkout_to_preview, place_order
from tests.support.orders import paid_order
from tests.support.tasks import run_outbox
from tests.support.users import login, user_with_login

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")

pytestmark = pytest.mark.django_db


def staff_in(group: str) -> Client:
    email_address = f"{group.lower().replace(' ', '-')}@example.com"
    user_with_login(email_address, is_staff=True).groups.add(Group.objects.get(name=group))
    client = Client()
    login(client, email_address)
    return client


def resend(staff, order, choice):
    return staff.post(f"/shop/dashboard/orders/{order.number}/emails/", {"email": choice}, follow=True)


def parsed(smtp_server):
    return [email.message_from_bytes(m.content) for m in smtp_server.messages]


def test_customer_service_sends_the_confirmation_again_with_the_receipt(client, lamp, mollie, smtp_server):
    order = paid_order(client, lamp)
    staff = staff_in(CUSTOMER_SERVICE)

    response = resend(staff, order, "confirmation")
    run_outbox()

    assert "The email is on its way to guest@example.com." in response.content.decode()
    messages = parsed(smtp_server)
    assert [m["Subject"] for m in messages] == [f"Your order {order.number} is confirmed"] * 2
    assert any(part.get_content_type() == "application/pdf" for part in messages[1].walk())
    assert OrderNote.objects.filter(order=order, message__startswith="Sent the order confirmation again").exists()


def test_fulfilment_sends_a_parcels_latest_email_again(client, lamp, mollie, smtp_server):
    order = paid_order(client, lamp)
    shipment = shipment_create(
        order_id=order.pk, carrier="postnl", tracking_number="3SRESEND0001", quantities={order.lines.get().pk: 1}
    )
    out = CarrierEvent("3SRESEND0001", Milestone.OUT_FOR_DELIVERY, timezone.now(), "7", "Bezorger onderweg")
    tracking_events_apply(shipment_id=shipment.pk, events=[out], source="poll")
    run_outbox()
    smtp_server.messages.clear()

    resend(staff_in(FULFILMENT), order, f"parcel:{shipment.pk}")
    run_outbox()

    assert [m["Subject"] for m in parsed(smtp_server)] == [f"Your order {order.number} arrives today"]


def test_staff_without_the_permission_cannot_resend_and_unpaid_orders_have_nothing_to_resend(
    client, lamp, mollie, smtp_server
):
    order = paid_order(client, lamp)
    assert resend(staff_in(CATALOGUE_MANAGERS), order, "confirmation").status_code == 403

    checkout_to_preview(client, lamp)
    place_order(client)
    unpaid = Order.objects.get(status="Pending payment")
    response = resend(staff_in(CUSTOMER_SERVICE), unpaid, "confirmation")
    assert "it has no confirmation to resend" in response.content.decode()
    run_outbox()
    assert len(smtp_server.messages) == 1  # the paid order's own confirmation only
