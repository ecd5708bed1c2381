"""Checkout through the pages to the Mollie simulator and back, with the webhook doing its work."""

import email
from decimal import Decimal

import pytest
from oscar.core.loading import get_model

from shop.payments.models import Payment
from tests.support.checkout import (
    GUEST_EMAIL,
    checkout_to_preview,
    pay_at_mollie,
    place_order,
    webhook,
)
from tests.support.tasks import run_outbox

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def test_guest_pays_by_ideal_and_gets_one_confirmation_with_the_receipt(client, lamp, mollie, smtp_server):
    preview = checkout_to_preview(client, lamp, quantity=2, method="ideal")
    assert preview.status_code == 200
    assert b"iDEAL" in preview.content

    response = place_order(client)

    order = Order.objects.get()
    payment = Payment.objects.get()
    assert order.status == "Pending payment" and order.guest_email == GUEST_EMAIL
    assert order.total_incl_tax == Decimal("54.85")  # 2 × 24.95 + 4.95 delivery (free only from €50 … of goods: 49.90)
    assert response.status_code == 302 and response["Location"] == payment.checkout_url
    assert response["Location"].startswith(mollie.url)
    creates = [r for r in mollie.requests if (r["method"], r["path"]) == ("POST", "/v2/payments")]
    assert len(creates) == 1
    assert creates[0]["idempotency_key"] == payment.idempotency_key
    assert creates[0]["body"]["amount"] == {"currency": "EUR", "value": "54.85"}
    assert creates[0]["body"]["method"] == "ideal"
    assert StockRecord.objects.get(product=lamp).num_allocated == 2

    return_path = pay_at_mollie(response["Location"])
    for _ in range(5):  # Mollie retries; at-least-once delivery
        assert webhook(client, payment.mollie_id).status_code == 200
    run_outbox()

    order.refresh_from_db()
    assert order.status == "Paid"
    assert order.sources.get().amount_debited == Decimal("54.85")
    assert [m.rcpt_tos for m in smtp_server.messages] == [[GUEST_EMAIL]]
    message = email.message_from_bytes(smtp_server.messages[0].content)
    assert "confirmed" in message["Subject"]
    pdfs = [part for part in message.walk() if part.get_content_type() == "application/pdf"]
    assert len(pdfs) == 1 and pdfs[0].get_payload(decode=True).startswith(b"%PDF")
    assert pdfs[0].get_filename() == f"receipt-{order.receipts.get().number}.pdf"

    response = client.get(return_path)
    assert response.status_code == 302 and response["Location"] == "/shop/checkout/thank-you/"
    assert order.number.encode() in client.get("/shop/checkout/thank-you/").content


def test_the_return_page_learns_the_state_before_the_webhook(client, lamp, mollie):
    checkout_to_preview(client, lamp, method="creditcard")
    response = place_order(client)
    return_path = pay_at_mollie(response["Location"])

    response = client.get(return_path)  # no webhook yet: the return page asks Mollie itself

    assert response.status_code == 302 and response["Location"] == "/shop/checkout/thank-you/"
    assert Order.objects.get().status == "Paid"
    assert Payment.objects.get().details["cardNumber"]


def test_a_failed_payment_can_be_retried_with_another_method_on_the_same_order(client, lamp, mollie):
    checkout_to_preview(client, lamp, method="creditcard")
    first_url = place_order(client)["Location"]
    return_path = pay_at_mollie(first_url, status="failed")

    response = client.get(return_path)
    assert response.status_code == 200
    assert response.context["state"] == "failed"
    assert b"did not go through" in response.content

    response = client.post(return_path + "pay/", {"method": "ideal"})
    second = Payment.objects.get(attempt=2)
    assert response.status_code == 302 and response["Location"] == second.checkout_url != first_url
    assert second.method == "ideal" and second.order_id == Order.objects.get().pk
    pay_at_mollie(second.checkout_url)
    assert client.get(return_path)["Location"] == "/shop/checkout/thank-you/"
    assert Order.objects.get().status == "Paid"


def test_giving_up_cancels_the_order_and_restores_the_basket(client, lamp, mollie):
    checkout_to_preview(client, lamp, quantity=3, method="creditcard")
    return_path = pay_at_mollie(place_order(client)["Location"], status="canceled")

    response = client.post(return_path + "basket/")

    assert response.status_code == 302 and response["Location"] == "/shop/basket/"
    assert Order.objects.get().status == "Canceled"
    assert StockRecord.objects.get(product=lamp).num_allocated == 0
    basket = client.get("/shop/basket/").context["basket"]
    assert [(line.product_id, line.quantity) for line in basket.all_lines()] == [(lamp.pk, 3)]


def test_the_preview_refuses_without_the_terms(client, lamp, mollie):
    checkout_to_preview(client, lamp)

    response = client.post("/shop/checkout/preview/", {"action": "place_order"})

    assert response.status_code == 200
    assert b"accept the terms" in response.content
    assert not Order.objects.exists() and mollie.payments_created() == 0
