"""A payment that arrives around an order's timeout: the order is not canceled under an attempt still
being created, and an order reinstated by a late payment takes back everything its cancellation released."""

import logging
from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone
from oscar.core.loading import get_model

from shop.orders.services import order_cancel_pending
from shop.payments.models import Payment, Refund
from shop.payments.services.checkout import payment_for_checkout, payment_start
from shop.payments.services.sync import payment_apply
from shop.payments.services.unpaid_orders import order_expire_unpaid
from tests.support.checkout import checkout_to_preview, pay_at_mollie, place_order, voucher, webhook
from tests.support.tasks import run_outbox

Order = get_model("order", "Order")
ConditionalOffer = get_model("offer", "ConditionalOffer")
StockRecord = get_model("partner", "StockRecord")
Voucher = get_model("voucher", "Voucher")

pytestmark = pytest.mark.django_db


def allocated(product) -> int:
    return StockRecord.objects.get(product=product).num_allocated or 0


def order_with_voucher(client, product, code: str = "ONCE") -> Order:
    """A guest's order of one `product` with the single-use voucher `code` (10 % off), pending a card payment."""
    client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 1})
    client.post("/shop/basket/vouchers/add/", {"code": code})
    checkout_to_preview(client, method="creditcard")
    assert place_order(client).status_code == 302
    return Order.objects.order_by("-pk").first()


@pytest.fixture
def single_use_voucher(db):
    code = voucher("ONCE", "10")
    code.usage = Voucher.SINGLE_USE
    code.save()
    return code


def pay_again(order, method: str = "ideal") -> Payment:
    """The shopper picks another method on the return page at the last moment: a new attempt row is
    written, and the request that claims it is now waiting for Mollie's answer to the create."""
    payment = payment_for_checkout(order_id=order.pk, method=method)
    Payment.objects.filter(pk=payment.pk).update(create_claimed_at=timezone.now())
    return Payment.objects.get(pk=payment.pk)


def test_an_attempt_being_created_at_the_timeout_keeps_the_order(client, lamp, mollie):
    checkout_to_preview(client, lamp, method="creditcard")
    place_order(client)
    order = Order.objects.get()
    attempt = pay_again(order)
    assert not attempt.mollie_id

    assert not order_expire_unpaid(order_id=order.pk)  # the timeout job runs while Mollie creates it

    order.refresh_from_db()
    assert order.status == "Pending payment" and allocated(lamp) == 1
    Payment.objects.filter(pk=attempt.pk).update(create_claimed_at=None)  # the create goes through after all
    pay_at_mollie(payment_start(payment_id=attempt.pk))
    webhook(client, Payment.objects.get(pk=attempt.pk).mollie_id)
    run_outbox()
    assert Order.objects.get().status == "Paid" and not Refund.objects.exists()


def test_an_attempt_written_but_not_yet_claimed_keeps_the_order(client, lamp, mollie):
    checkout_to_preview(client, lamp, method="creditcard")
    place_order(client)
    order = Order.objects.get()
    payment_for_checkout(order_id=order.pk, method="ideal")  # committed; its request claims it next

    assert not order_expire_unpaid(order_id=order.pk)
    assert Order.objects.get().status == "Pending payment"


def test_a_stale_claim_no_longer_holds_the_order_and_nothing_is_created_after_the_cancel(client, lamp, mollie):
    checkout_to_preview(client, lamp, method="creditcard")
    place_order(client)
    order = Order.objects.get()
    attempt = pay_again(order)
    long_ago = timezone.now() - timedelta(minutes=5)  # its process died mid-create
    Payment.objects.filter(pk=attempt.pk).update(create_claimed_at=long_ago, created_at=long_ago)

    assert order_expire_unpaid(order_id=order.pk)
    created = mollie.payments_created()
    assert payment_start(payment_id=attempt.pk) is None  # a retry of it finds the order canceled

    assert mollie.payments_created() == created
    assert not Payment.objects.get(pk=attempt.pk).mollie_id
    assert Order.objects.get().status == "Canceled" and allocated(lamp) == 0


def test_a_late_payment_reinstates_the_voucher_use_its_cancellation_released(client, lamp, mollie, single_use_voucher):
    order = order_with_voucher(client, lamp)
    payment = Payment.objects.get()
    discount = order.discounts.get()
    assert order_cancel_pending(order_id=order.pk, reason="test: timed out")
    released = Voucher.objects.get()
    assert released.num_orders == 0 and not released.applications.exists()

    pay_at_mollie(payment.checkout_url)  # the shopper paid the discounted price at the last second
    webhook(client, payment.mollie_id)
    run_outbox()

    order.refresh_from_db()
    assert order.status == "Paid" and allocated(lamp) == 1
    code = Voucher.objects.get()
    assert code.num_orders == 1 and code.total_discount == discount.amount
    assert list(code.applications.values_list("order_id", flat=True)) == [order.pk]
    assert not code.is_available_to_user(user=None)[0]  # used: nobody else gets it
    offer = ConditionalOffer.objects.get(pk=discount.offer_id)
    assert (offer.num_orders, offer.num_applications, offer.total_discount) == (1, 1, discount.amount)
    assert not Refund.objects.exists()


def test_a_voucher_someone_else_used_meanwhile_is_still_honoured_and_flagged(
    client, lamp, mollie, single_use_voucher, caplog
):
    first = order_with_voucher(client, lamp)
    payment = Payment.objects.get(order=first)
    order_cancel_pending(order_id=first.pk, reason="test: timed out")
    second = order_with_voucher(Client(), lamp)  # another shopper takes the single-use voucher
    assert second.pk != first.pk and second.discounts.exists()

    pay_at_mollie(payment.checkout_url)
    webhook(client, payment.mollie_id)
    with caplog.at_level(logging.ERROR, logger="shop.payments.services"):
        run_outbox()

    first.refresh_from_db()
    assert first.status == "Paid"  # the shopper paid the price they were offered: the order stands
    code = Voucher.objects.get()
    assert sorted(code.applications.values_list("order_id", flat=True)) == [first.pk, second.pk]
    assert code.num_orders == 2 and code.total_discount == Decimal(2) * first.discounts.get().amount
    note = first.notes.get(message__contains="ONCE")
    assert "single use" in note.message.lower() and second.number in note.message
    assert any(r.levelno == logging.ERROR and "ONCE" in r.getMessage() for r in caplog.records)


def test_a_paid_status_after_a_final_one_is_an_error_with_a_note_for_staff(client, lamp, mollie, caplog):
    checkout_to_preview(client, lamp, method="ideal")
    place_order(client)
    order = Order.objects.get()
    payment = Payment.objects.get()
    mollie.set_status(payment.mollie_id, "expired", notify=False)
    webhook(client, payment.mollie_id)
    run_outbox()
    late = {**mollie.payment(payment.mollie_id), "status": "paid", "paidAt": timezone.now().isoformat()}

    with caplog.at_level(logging.INFO, logger="shop.payments.services"):
        payment_apply(payment_id=payment.pk, remote=late)
        payment_apply(payment_id=payment.pk, remote=late)  # the alert fires each time, the note is left once

    assert Payment.objects.get().status == "expired" and Order.objects.get().status == "Pending payment"
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and payment.mollie_id in r.getMessage()]
    assert len(errors) == 2 and "paid after expired" in errors[0].getMessage()
    assert order.notes.filter(message__contains=f"{payment.mollie_id} paid after expired").count() == 1
