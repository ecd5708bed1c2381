"""Checkout as a shopper does it, in headless Chromium: the shop's pages, Mollie's hosted page
(the simulator on loopback), the webhook into the live server, a real Dramatiq worker on Redis,
and the confirmation email in a real SMTP sink, with the PDF receipt to download afterwards."""

import re
from email.message import Message

import pytest
from oscar.core.loading import get_model
from playwright.sync_api import expect

from shop.notifications.models import OutgoingEmail
from shop.outbox.models import OutboxMessage
from shop.payments.models import Payment
from tests.e2e.steps import (
    check_out_to_mollie,
    confirmed_order_number,
    download_receipt,
    pay_at_mollie,
    pdf_attachments,
    sign_in,
    text_body,
    wait_for_confirmation_email,
)

Order = get_model("order", "Order")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

GUEST_EMAIL = "guest.shopper@example.com"
SHOPPER_EMAIL = "shopper@example.com"


@pytest.fixture
def shop(live_demo_shop, mollie, smtp_server, task_worker, screenshot_on_failure):
    """Everything a checkout touches, running for real: the live shop with its demo catalogue,
    Mollie's simulator (webhooks go to the live shop), an SMTP sink and a task worker."""
    return live_demo_shop


def assert_exactly_one_confirmation(smtp_server, recipient: str, task_worker, mollie) -> Message:
    message = wait_for_confirmation_email(smtp_server, recipient)
    assert pdf_attachments(message)[0].startswith(b"%PDF")
    # Both the webhook's task and the return page saw "paid": once everything has settled, still one email.
    assert mollie.wait_for_webhooks(timeout=10)
    task_worker.wait_idle()
    assert len(smtp_server.messages) == 1, [envelope.rcpt_tos for envelope in smtp_server.messages]
    return message


def assert_settled_through_the_worker(order, mollie) -> None:
    """The side effects behind the pages: each webhook answered 200 and went through the outbox to
    the worker; the confirmation was queued once and its email stored and sent once."""
    mollie_ids = list(Payment.objects.filter(order=order).values_list("mollie_id", flat=True))
    deliveries = [d for d in mollie.webhook_deliveries if d["payment_id"] in mollie_ids]
    assert deliveries and all(d["status_code"] == 200 for d in deliveries), deliveries
    relayed = OutboxMessage.objects.filter(published_at__isnull=False).exclude(message_id="")
    assert relayed.filter(actor_name="sync_payment").count() == len(deliveries)
    assert relayed.filter(actor_name="send_order_confirmation", args=[order.pk]).count() == 1
    assert not OutboxMessage.objects.filter(published_at__isnull=True).exists()
    sent = [(e.to, e.status) for e in OutgoingEmail.objects.all()]
    assert sent == [([order.email], OutgoingEmail.Status.SENT)]


# --- The journeys ----------------------------------------------------------------------------------


def test_a_guest_pays_by_card_and_gets_one_email_with_the_receipt(page, shop, mollie, smtp_server, task_worker):
    check_out_to_mollie(page, shop.url, "Card", guest_email=GUEST_EMAIL)
    pay_at_mollie(page, "Paid", method="Card")
    number = confirmed_order_number(page)

    message = assert_exactly_one_confirmation(smtp_server, GUEST_EMAIL, task_worker, mollie)
    assert number in message["Subject"]
    order = Order.objects.get(number=number)
    assert order.status == "Paid" and order.guest_email == GUEST_EMAIL
    assert [(p.method, p.status) for p in Payment.objects.filter(order=order)] == [("creditcard", "paid")]
    assert_settled_through_the_worker(order, mollie)

    # Later, in the mail client: the email's link opens the order (Oscar's signed page for guests,
    # which asks for the order's email address first), without the checkout's session.
    status_url = re.search(rf"{re.escape(shop.url)}/shop/\S+", text_body(message)).group(0)
    assert status_url.startswith(f"{shop.url}/shop/accounts/order-status/{number}/")
    later = page.context.browser.new_context()
    try:
        page = later.new_page()
        page.goto(status_url)
        page.get_by_label("Email address").fill(GUEST_EMAIL)
        page.get_by_role("button", name="Submit").click()
        expect(page.get_by_role("heading", name=f"Order #{number}")).to_be_visible()
        row = page.locator("#order-payments tr.payment")
        expect(row).to_have_count(1)
        expect(row).to_contain_text("Card")
        expect(row).to_contain_text("Paid")
        filename, pdf = download_receipt(page)
    finally:
        later.close()
    assert filename == f"receipt-{order.receipts.get().number}.pdf"
    assert pdf.startswith(b"%PDF")


def test_a_signed_in_shopper_pays_by_ideal_and_finds_the_receipt_in_the_account(
    page, shop, mollie, smtp_server, task_worker
):
    sign_in(page, shop.url, SHOPPER_EMAIL)

    check_out_to_mollie(page, shop.url, "iDEAL")  # signed in: no "Who are you?" step
    pay_at_mollie(page, "Paid", method="iDEAL")
    number = confirmed_order_number(page)

    message = assert_exactly_one_confirmation(smtp_server, SHOPPER_EMAIL, task_worker, mollie)
    assert number in message["Subject"]
    assert f"{shop.url}/shop/accounts/orders/{number}/" in text_body(message)

    page.goto(f"{shop.url}/shop/accounts/orders/{number}/")
    expect(page.get_by_role("heading", name=f"Order #{number}")).to_be_visible()
    row = page.locator("#order-payments tr.payment")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("iDEAL")
    expect(row).to_contain_text("Paid")
    filename, pdf = download_receipt(page)
    order = Order.objects.get(number=number)
    assert order.user.email == SHOPPER_EMAIL and order.status == "Paid"
    assert_settled_through_the_worker(order, mollie)
    assert filename == f"receipt-{order.receipts.get().number}.pdf"
    assert pdf.startswith(b"%PDF")


def test_a_failed_card_payment_is_retried_with_ideal_on_the_same_order(page, shop, mollie, smtp_server, task_worker):
    check_out_to_mollie(page, shop.url, "Card", guest_email=GUEST_EMAIL)
    pay_at_mollie(page, "Failed", method="Card")

    expect(page.get_by_role("heading", name="Your payment did not go through")).to_be_visible()
    expect(page.get_by_text("Nothing was charged.")).to_be_visible()
    retry = page.locator("#pay-again-form")
    expect(retry.get_by_text("Pay with", exact=True)).to_be_visible()
    retry.get_by_label("iDEAL", exact=True).check()
    retry.get_by_role("button", name="Pay now").click()
    pay_at_mollie(page, "Paid", method="iDEAL")
    number = confirmed_order_number(page)

    assert_exactly_one_confirmation(smtp_server, GUEST_EMAIL, task_worker, mollie)
    order = Order.objects.get()
    assert order.number == number and order.status == "Paid"
    payments = [(p.attempt, p.method, p.status) for p in Payment.objects.filter(order=order).order_by("attempt")]
    assert payments == [(1, "creditcard", "failed"), (2, "ideal", "paid")]
    assert_settled_through_the_worker(order, mollie)
