"""Pay later (authorize, capture on shipping), reconciliation of silent payments, expiry of unpaid orders."""

import email
import email.policy
from datetime import timedelta

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from shop.fulfilment.services import shipment_create
from shop.orders.services import order_cancel_pending
from shop.payments.models import Payment
from shop.payments.services.sync import payments_to_reconcile
from shop.payments.services.unpaid_orders import order_expire_unpaid, orders_to_cancel
from shop.payments.tasks import sync_payment
from tests.support.checkout import checkout_to_preview, pay_at_mollie, place_order, webhook
from tests.support.tasks import run_outbox

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def pdf_attachments(envelope):
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    return [part for part in message.walk() if part.get_content_type() == "application/pdf"]


def test_pay_later_is_confirmed_at_authorization_and_charged_when_shipped(client, lamp, mollie, smtp_server):
    checkout_to_preview(client, lamp, method="klarna")
    pay_at_mollie(place_order(client)["Location"], status="paid")  # Klarna authorizes
    payment = Payment.objects.get()
    webhook(client, payment.mollie_id)
    run_outbox()

    order = Order.objects.get()
    assert order.status == "Authorized" and Payment.objects.get().status == "authorized"
    assert len(smtp_server.messages) == 1 and not pdf_attachments(smtp_server.messages[0])

    order.set_status("Processing")  # what staff do in the dashboard
    shipment_create(
        order_id=order.pk, carrier="postnl", tracking_number="3SSHOP0000001", quantities={order.lines.get().pk: 1}
    )
    run_outbox()  # the capture task; Mollie calls the webhook for the capture too
    webhook(client, payment.mollie_id)
    run_outbox()

    captures = [r for r in mollie.requests if r["path"] == f"/v2/payments/{payment.mollie_id}/captures"]
    assert len(captures) == 1
    assert Payment.objects.get().status == "paid"
    assert Order.objects.get().status == "Shipped"  # fulfilment's status stays
    subjects = [email.message_from_bytes(m.content)["Subject"] for m in smtp_server.messages]
    assert len(subjects) == 3 and "is on its way" in subjects[1]  # confirmation, parcel shipped, receipt
    receipt = pdf_attachments(smtp_server.messages[2])
    assert len(receipt) == 1 and receipt[0].get_content().startswith(b"%PDF")


def test_a_shopper_who_paid_and_never_came_back_gets_the_order(client, lamp, mollie, smtp_server):
    checkout_to_preview(client, lamp, method="ideal")
    place_order(client)
    payment = Payment.objects.get()
    mollie.set_status(payment.mollie_id, "paid", notify=False)  # paid in the banking app; no webhook, no return
    later = timezone.now() + timedelta(minutes=11)

    assert payments_to_reconcile() == []  # just created: not due yet
    assert payments_to_reconcile(now=later) == [payment.pk]
    for payment_id in payments_to_reconcile(now=later):
        sync_payment.fn(payment_id)  # what the periodic reconcile_payments job queues
    run_outbox()

    assert Order.objects.get().status == "Paid"
    assert len(smtp_server.messages) == 1


def test_an_unpaid_order_is_canceled_after_its_timeout_and_its_stock_released(client, lamp, mollie, settings):
    checkout_to_preview(client, lamp, quantity=2, method="creditcard")
    place_order(client)
    order = Order.objects.get()
    payment = Payment.objects.get()
    assert StockRecord.objects.get(product=lamp).num_allocated == 2
    after_timeout = timezone.now() + timedelta(minutes=settings.SHOP_PAYMENT_TIMEOUT_MINUTES + 1)

    assert orders_to_cancel() == []
    assert orders_to_cancel(now=after_timeout) == [order.pk]
    assert order_expire_unpaid(order_id=order.pk)

    order.refresh_from_db()
    assert order.status == "Canceled"
    assert StockRecord.objects.get(product=lamp).num_allocated == 0
    assert mollie.payment(payment.mollie_id)["status"] == "canceled"  # it can no longer be paid


def test_a_bank_transfer_order_waits_longer(client, lamp, mollie, settings):
    checkout_to_preview(client, lamp, method="banktransfer")
    place_order(client)
    after_card_timeout = timezone.now() + timedelta(minutes=settings.SHOP_PAYMENT_TIMEOUT_MINUTES + 1)
    after_transfer_timeout = timezone.now() + timedelta(minutes=settings.SHOP_BANKTRANSFER_TIMEOUT_MINUTES + 1)

    assert orders_to_cancel(now=after_card_timeout) == []
    assert orders_to_cancel(now=after_transfer_timeout) == [Order.objects.get().pk]


def test_an_order_whose_payment_is_still_pending_is_not_canceled(client, lamp, mollie):
    checkout_to_preview(client, lamp, method="creditcard")
    place_order(client)
    payment = Payment.objects.get()
    mollie.set_status(payment.mollie_id, "pending", notify=False)

    assert not order_expire_unpaid(order_id=Order.objects.get().pk)
    assert Order.objects.get().status == "Pending payment"


def test_a_payment_after_cancellation_reinstates_the_order_when_stock_allows(client, lamp, mollie):
    checkout_to_preview(client, lamp, method="creditcard")
    place_order(client)
    order = Order.objects.get()
    payment = Payment.objects.get()
    order_cancel_pending(order_id=order.pk, reason="test: timed out")
    mollie.set_status(payment.mollie_id, "paid", notify=False)  # the shopper paid at the last second
    webhook(client, payment.mollie_id)
    run_outbox()

    order.refresh_from_db()
    assert order.status == "Paid"
    assert StockRecord.objects.get(product=lamp).num_allocated == 1


def test_a_bank_transfer_holds_the_stock_five_days_and_mollie_expires_it_on_that_day(
    client, lamp, mollie, smtp_server, settings
):
    checkout_to_preview(client, lamp, quantity=2, method="banktransfer")
    return_path = pay_at_mollie(place_order(client)["Location"], status="open")  # the shopper chose to transfer
    run_outbox()
    order = Order.objects.get()
    payment = Payment.objects.get()

    deadline = order.date_placed + timedelta(minutes=settings.SHOP_BANKTRANSFER_TIMEOUT_MINUTES)
    assert deadline <= order.date_placed + timedelta(days=5)
    create = next(r for r in mollie.requests if (r["method"], r["path"]) == ("POST", "/v2/payments"))
    due = timezone.localdate(deadline)
    assert create["body"]["dueDate"] == due.isoformat()
    # Mollie lets the transfer be paid until the end of that day, and no longer.
    assert mollie.payment(payment.mollie_id)["expiresAt"].startswith((due + timedelta(days=1)).isoformat())
    # The shopper is told the date, on the return page and in the email with the bank details.
    pay_by = f"{due.day} {due:%B} {due.year}"
    assert f"reserved for you until {pay_by}" in client.get(return_path).content.decode()
    instructions = email.message_from_bytes(smtp_server.messages[0].content, policy=email.policy.default)
    assert f"reserved for you until {pay_by}" in instructions.get_body(("plain",)).get_content()
    assert orders_to_cancel(now=order.date_placed + timedelta(days=4)) == []
    assert orders_to_cancel(now=order.date_placed + timedelta(days=5, minutes=1)) == [order.pk]
