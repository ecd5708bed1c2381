"""Refunds from the dashboard through Mollie, never more than was paid, shown to the shopper; chargebacks."""

import email
import email.policy
from decimal import Decimal

import pytest
from django.test import Client
from oscar.core.loading import get_model

from shop.bootstrap import reference_data_ensure
from shop.payments.errors import RefundNotAllowed
from shop.payments.models import Chargeback, Payment, Refund
from shop.payments.services.refunds import refund_create
from shop.payments.services.sync import payment_sync
from tests.support.checkout import checkout_to_preview, pay_at_mollie, place_order, product_with_stock, webhook
from tests.support.concurrency import race
from tests.support.tasks import run_outbox
from tests.support.users import login, user_with_login

Order = get_model("order", "Order")

SHOPPER = "buyer@example.com"


@pytest.fixture
def paid_order(client, mollie):
    """A shopper's order of 2 × €24.95 + €4.95 delivery, paid by iDEAL; the client stays logged in as the shopper."""
    reference_data_ensure()
    lamp = product_with_stock(title="Reading lamp", price="24.95", stock=5)
    user_with_login(SHOPPER)
    login(client, SHOPPER)
    checkout_to_preview(client, lamp, quantity=2, method="ideal", guest_email=None)
    pay_at_mollie(place_order(client)["Location"])
    payment = Payment.objects.get()
    webhook(client, payment.mollie_id)
    run_outbox()
    order = Order.objects.get()
    assert order.status == "Paid" and order.user.email == SHOPPER
    return order


def refund_requests(mollie, payment):
    return [
        r for r in mollie.requests if (r["method"], r["path"]) == ("POST", f"/v2/payments/{payment.mollie_id}/refunds")
    ]


def staff_client(*, permissions=("shop_payments.add_refund",)):
    staff = Client()
    user_with_login("clerk@example.com", is_staff=True, permissions=("order.view_order", *permissions))
    login(staff, "clerk@example.com")
    return staff


@pytest.mark.django_db
def test_a_partial_refund_from_the_dashboard_reaches_mollie_and_the_shopper_sees_it(
    client, paid_order, mollie, smtp_server
):
    staff = staff_client()
    payment = paid_order.mollie_payments.get()
    page = staff.get(f"/shop/dashboard/orders/{paid_order.number}/")
    assert b"Refund through Mollie" in page.content

    response = staff.post(
        f"/shop/dashboard/orders/{paid_order.number}/refunds/", {"amount": "24.95", "reason": "Lamp arrived broken"}
    )

    assert response.status_code == 302
    sent = refund_requests(mollie, payment)
    assert [r["body"]["amount"] for r in sent] == [{"currency": "EUR", "value": "24.95"}]
    refund = Refund.objects.get()
    assert refund.mollie_id and refund.status == "pending" and refund.created_by.email == "clerk@example.com"

    mollie.settle_refunds(payment.mollie_id)  # Mollie completes the refund and calls the webhook
    webhook(client, payment.mollie_id)
    run_outbox()

    refund.refresh_from_db()
    assert refund.status == "refunded"
    assert paid_order.payment_events.filter(event_type__name="Refunded", amount=Decimal("24.95")).count() == 1
    credit_note = paid_order.receipts.get(kind="credit_note")
    assert credit_note.total == Decimal("-24.95") and credit_note.refund == refund
    assert len(smtp_server.messages) == 1  # (the confirmation went out before the sink started)
    refund_mail = email.message_from_bytes(smtp_server.messages[0].content, policy=email.policy.default)
    assert refund_mail["Subject"] == f"Order {paid_order.number}: €24.95 refunded"
    assert any(part.get_filename() == credit_note.filename for part in refund_mail.walk())

    order_page = client.get(f"/shop/accounts/orders/{paid_order.number}/")
    assert order_page.status_code == 200
    assert b"Lamp arrived broken" in order_page.content and b"-\xe2\x82\xac24.95" in order_page.content
    assert credit_note.number.encode() in order_page.content
    paid_order.refresh_from_db()
    assert paid_order.status == "Paid"  # partly refunded: still a paid order


@pytest.mark.django_db
def test_a_refund_cannot_exceed_what_was_paid(paid_order, mollie):
    staff = staff_client()
    payment = paid_order.mollie_payments.get()
    staff.post(f"/shop/dashboard/orders/{paid_order.number}/refunds/", {"amount": "50.00"})

    response = staff.post(f"/shop/dashboard/orders/{paid_order.number}/refunds/", {"amount": "4.86"}, follow=True)

    assert b"At most 4.85 EUR can be refunded" in response.content
    assert len(refund_requests(mollie, payment)) == 1
    assert Refund.objects.count() == 1


@pytest.mark.django_db
def test_a_full_refund_marks_the_order_refunded(client, paid_order, mollie):
    staff = staff_client()
    payment = paid_order.mollie_payments.get()
    staff.post(f"/shop/dashboard/orders/{paid_order.number}/refunds/", {"amount": "54.85"})
    mollie.settle_refunds(payment.mollie_id)
    webhook(client, payment.mollie_id)
    run_outbox()

    paid_order.refresh_from_db()
    assert paid_order.status == "Refunded"


@pytest.mark.django_db
def test_staff_without_the_refund_permission_are_refused(paid_order, mollie):
    staff = staff_client(permissions=())

    response = staff.post(f"/shop/dashboard/orders/{paid_order.number}/refunds/", {"amount": "1.00"})

    assert response.status_code == 403
    assert not Refund.objects.exists() and not refund_requests(mollie, paid_order.mollie_payments.get())
    assert b"Refund through Mollie" not in staff.get(f"/shop/dashboard/orders/{paid_order.number}/").content


@pytest.mark.django_db
def test_a_shopper_cannot_refund(client, paid_order, mollie):
    response = client.post(f"/shop/dashboard/orders/{paid_order.number}/refunds/", {"amount": "1.00"})

    assert response.status_code == 403
    assert not Refund.objects.exists()


@pytest.mark.django_db
def test_a_chargeback_is_recorded_and_shown_to_staff(client, paid_order, mollie):
    payment = paid_order.mollie_payments.get()
    mollie.create_chargeback(payment.mollie_id, "54.85", notify=False)
    webhook(client, payment.mollie_id)
    run_outbox()
    webhook(client, payment.mollie_id)  # again: recorded once
    run_outbox()

    chargeback = Chargeback.objects.get()
    assert chargeback.amount == Decimal("54.85") and chargeback.payment == payment
    assert paid_order.payment_events.filter(event_type__name="Chargeback").count() == 1
    assert paid_order.notes.filter(message__contains=chargeback.mollie_id).exists()
    page = staff_client().get(f"/shop/dashboard/orders/{paid_order.number}/")
    assert chargeback.mollie_id.encode() in page.content
    with pytest.raises(RefundNotAllowed):  # nothing left to refund once the bank took it back
        refund_create(order_id=paid_order.pk, amount=Decimal("1.00"), description="", user=None)


@pytest.mark.django_db
def test_a_reversed_chargeback_is_recorded_and_no_longer_counted(client, paid_order, mollie):
    payment = paid_order.mollie_payments.get()
    chargeback = mollie.create_chargeback(payment.mollie_id, "54.85", notify=False)
    webhook(client, payment.mollie_id)
    run_outbox()
    assert Payment.objects.get().amount_charged_back == Decimal("54.85")

    mollie.reverse_chargeback(payment.mollie_id, chargeback["id"], notify=False)  # the shop won the dispute
    for _ in range(2):  # recorded once however often Mollie tells
        webhook(client, payment.mollie_id)
        run_outbox()

    payment.refresh_from_db()
    assert payment.amount_charged_back == Decimal("0.00") and payment.refundable == Decimal("54.85")
    recorded = Chargeback.objects.get()
    assert recorded.reversed_at is not None and recorded.amount == Decimal("54.85")
    assert paid_order.payment_events.filter(event_type__name="Chargeback reversed").count() == 1
    assert paid_order.notes.filter(message__contains=f"{chargeback['id']} reversed").count() == 1
    page = staff_client().get(f"/shop/dashboard/orders/{paid_order.number}/").content.decode()
    row = page[page.index('<tr class="chargeback') :].split("</tr>")[0]
    assert chargeback["id"] in row and "reversed" in row and "table-danger" not in row


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_full_refunds_refund_once(client, mollie):
    reference_data_ensure()
    lamp = product_with_stock(title="Reading lamp", price="24.95", stock=5)
    checkout_to_preview(client, lamp, method="ideal")
    pay_at_mollie(place_order(client)["Location"])
    order = Order.objects.get()
    payment_sync(payment_id=order.mollie_payments.get().pk)

    def refund_all():
        return refund_create(order_id=order.pk, amount=order.total_incl_tax, description="", user=None)

    results = race([refund_all, refund_all])

    assert sorted(type(r).__name__ for r in results) == ["Refund", "RefundNotAllowed"]
    assert len(refund_requests(mollie, order.mollie_payments.get())) == 1
