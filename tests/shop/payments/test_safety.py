"""The paths where shops lose money: stale states, abandoned and doubled payments, cancellations, refunds."""

import email
import email.policy
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model

from shop.payments.models import Payment, Refund
from shop.payments.services.refunds import refund_create, refunds_to_send
from shop.payments.services.sync import payment_apply, payment_sync
from shop.payments.tasks import send_refund
from tests.support.checkout import checkout_to_preview, pay_at_mollie, place_order, voucher, webhook
from tests.support.tasks import run_outbox
from tests.support.users import login, user_with_login

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")
Voucher = get_model("voucher", "Voucher")

pytestmark = pytest.mark.django_db


def allocated(product) -> int:
    return StockRecord.objects.get(product=product).num_allocated or 0


def plain_text(envelope) -> str:
    message = email.message_from_bytes(envelope.content, policy=email.policy.default)
    return message.get_body(preferencelist=("plain",)).get_content()


def refunds_sent(mollie, payment) -> list:
    path = f"/v2/payments/{payment.mollie_id}/refunds"
    return [r for r in mollie.requests if (r["method"], r["path"]) == ("POST", path)]


def test_a_stale_open_state_arriving_after_paid_changes_nothing(client, lamp, mollie):
    checkout_to_preview(client, lamp, method="ideal")
    place_order(client)
    payment = Payment.objects.get()
    stale = mollie.payment(payment.mollie_id)  # fetched while still open …
    pay_at_mollie(payment.checkout_url)
    payment_sync(payment_id=payment.pk)  # … applied after the newer "paid"

    payment_apply(payment_id=payment.pk, remote=stale)
    run_outbox()

    order = Order.objects.get()
    assert Payment.objects.get().status == "paid" and order.status == "Paid"
    assert order.sources.count() == 1
    assert order.payment_events.filter(event_type__name="Paid").count() == 1
    assert not Refund.objects.exists()


def test_going_back_to_the_basket_cancels_the_order_and_a_late_payment_is_refunded(client, lamp, mollie):
    checkout_to_preview(client, lamp, quantity=2, method="ideal")
    place_order(client)
    payment = Payment.objects.get()
    order = Order.objects.get()

    client.post(f"/shop/checkout/payment/{order.number}/{order.verification_hash()}/basket/")

    order.refresh_from_db()
    assert order.status == "Canceled" and allocated(lamp) == 0
    assert mollie.payment(payment.mollie_id)["status"] == "canceled"  # canceled at Mollie where it can be

    # Many methods cannot be canceled at Mollie once open: say this one was paid after all.
    paid_anyway = mollie.payment(payment.mollie_id) | {"status": "paid", "paidAt": timezone.now().isoformat()}
    payment_apply(payment_id=payment.pk, remote=paid_anyway)

    order.refresh_from_db()
    assert order.status == "Canceled" and allocated(lamp) == 0  # not revived behind the shopper's back
    refund = Refund.objects.get()
    assert refund.amount == payment.amount and "gave the order up" in refund.description


def test_a_second_payment_for_a_paid_order_is_refunded_automatically(client, lamp, mollie, smtp_server):
    checkout_to_preview(client, lamp, method="creditcard")
    place_order(client)
    order = Order.objects.get()
    return_path = f"/shop/checkout/payment/{order.number}/{order.verification_hash()}/"
    client.post(return_path + "pay/", {"method": "ideal"})  # the shopper switched method …
    first, second = Payment.objects.order_by("attempt")
    pay_at_mollie(second.checkout_url)
    mollie.set_status(first.mollie_id, "paid", notify=False)  # … and paid the first one too (an old tab)
    for payment in (first, second):
        webhook(client, payment.mollie_id)
    run_outbox()

    assert Order.objects.get().status == "Paid"
    paid_twice = [p for p in Payment.objects.all() if p.status == "paid"]
    assert len(paid_twice) == 2
    refund = Refund.objects.get()
    assert refund.payment.amount == refund.amount and refund.mollie_id
    assert len(refunds_sent(mollie, refund.payment)) == 1
    assert len(smtp_server.messages) == 1  # one confirmation


def test_staff_cancel_an_unpaid_order_and_its_payment_and_stock_go_with_it(client, lamp, mollie):
    checkout_to_preview(client, lamp, quantity=2, method="creditcard")
    place_order(client)
    order = Order.objects.get()
    staff = Client()
    user_with_login("clerk@example.com", is_staff=True, permissions=("order.view_order", "order.change_order"))
    login(staff, "clerk@example.com")
    assert "Canceled" not in order.available_statuses()  # no bare status change to Canceled

    response = staff.post(f"/shop/dashboard/orders/{order.number}/cancel/", follow=True)

    order.refresh_from_db()
    assert order.status == "Canceled" and allocated(lamp) == 0
    assert mollie.payment(Payment.objects.get().mollie_id)["status"] == "canceled"
    assert f"Order {order.number} canceled" in response.content.decode()


def test_a_full_refund_before_shipping_puts_the_stock_back(client, lamp, mollie):
    checkout_to_preview(client, lamp, quantity=2, method="ideal")
    pay_at_mollie(place_order(client)["Location"])
    payment = Payment.objects.get()
    payment_sync(payment_id=payment.pk)
    assert allocated(lamp) == 2

    refund_create(order_id=payment.order_id, amount=payment.amount, description="Changed my mind", user=None)
    mollie.settle_refunds(payment.mollie_id)
    payment_sync(payment_id=payment.pk)

    assert Order.objects.get().status == "Refunded"
    assert allocated(lamp) == 0


def test_a_canceled_order_gives_its_single_use_voucher_back(client, lamp, mollie):
    code = voucher("ONCE", "10")
    code.usage = Voucher.SINGLE_USE
    code.save()
    client.post(f"/shop/basket/add/{lamp.pk}/", {"quantity": 1})
    client.post("/shop/basket/vouchers/add/", {"code": "ONCE"})
    checkout_to_preview(client, method="creditcard")
    place_order(client)
    order = Order.objects.get()
    assert Voucher.objects.get().num_orders == 1

    client.post(f"/shop/checkout/payment/{order.number}/{order.verification_hash()}/basket/")

    released = Voucher.objects.get()
    assert released.num_orders == 0 and not released.applications.exists()
    assert released.is_available_to_user(user=None)[0]


def test_each_bank_transfer_attempt_gets_its_own_instructions(client, lamp, mollie, smtp_server):
    checkout_to_preview(client, lamp, method="banktransfer")
    place_order(client)
    order = Order.objects.get()
    return_path = f"/shop/checkout/payment/{order.number}/{order.verification_hash()}/"
    run_outbox()
    client.post(return_path + "pay/", {"method": "ideal"})
    client.post(return_path + "pay/", {"method": "banktransfer"})
    run_outbox()

    references = [p.details["transferReference"] for p in Payment.objects.filter(method="banktransfer")]
    texts = [plain_text(message) for message in smtp_server.messages]
    assert len(set(references)) == 2 and len(texts) == 2
    assert [reference in text for reference, text in zip(references, texts, strict=True)] == [True, True]


def test_a_refund_mollie_could_not_take_is_sent_later_by_the_reconcile_job(client, lamp, mollie, settings):
    checkout_to_preview(client, lamp, method="ideal")
    pay_at_mollie(place_order(client)["Location"])
    payment = Payment.objects.get()
    payment_sync(payment_id=payment.pk)

    settings.MOLLIE_API_ENDPOINT = "http://127.0.0.1:9"  # Mollie unreachable for a moment
    refund = refund_create(order_id=payment.order_id, amount=Decimal("5.00"), description="", user=None)
    assert refund.status == "created" and not refund.mollie_id
    assert Payment.objects.get().refundable == payment.amount - Decimal("5.00")  # counted at once
    settings.MOLLIE_API_ENDPOINT = mollie.url

    assert refunds_to_send() == []  # within the grace period the first sender may still be at it
    later = timezone.now() + timedelta(minutes=3)
    for refund_id in refunds_to_send(now=later):
        send_refund.fn(refund_id)

    refund.refresh_from_db()
    assert refund.mollie_id and refund.status == "pending"
    assert len(refunds_sent(mollie, payment)) == 1


def test_switching_method_cancels_the_open_payment_at_mollie(client, lamp, mollie, django_capture_on_commit_callbacks):
    checkout_to_preview(client, lamp, method="creditcard")
    place_order(client)
    order = Order.objects.get()
    first = Payment.objects.get()
    assert mollie.payment(first.mollie_id)["status"] == "open"

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/shop/checkout/payment/{order.number}/{order.verification_hash()}/pay/", {"method": "ideal"})

    assert mollie.payment(first.mollie_id)["status"] == "canceled"  # no longer payable by the old tab
    assert Payment.objects.get(attempt=2).method == "ideal"
