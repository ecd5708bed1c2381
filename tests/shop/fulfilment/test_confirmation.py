"""The confirmation (page and the one email) says how the order was paid and when it should arrive."""

import email
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from oscar.core.loading import get_model

from shop.fulfilment.delivery import delivery_window, working_days_after
from shop.fulfilment.reference_data import SHIPPING_METHODS, method_description
from tests.support.orders import paid_order

Order = get_model("order", "Order")


@pytest.mark.parametrize(
    "start, days, expected",
    [
        (date(2026, 11, 27), 1, date(2026, 11, 30)),  # Friday + 1 working day = Monday
        (date(2026, 11, 28), 1, date(2026, 11, 30)),  # Saturday + 1 = Monday
        (date(2026, 11, 25), 2, date(2026, 11, 27)),  # Wednesday + 2 = Friday
        (date(2026, 11, 26), 5, date(2026, 12, 3)),  # Thursday + 5 = next Thursday
    ],
)
def test_working_days_skip_the_weekend(start, days, expected):
    assert working_days_after(start, days) == expected


@pytest.mark.django_db
def test_the_confirmation_email_and_page_give_payment_method_and_delivery_window(client, lamp, mollie, smtp_server):
    # Placed on Wednesday 25 November 2026, late in the Amsterdam evening (UTC is still an hour behind).
    with time_machine.travel(datetime(2026, 11, 25, 23, 30, tzinfo=ZoneInfo("Europe/Amsterdam")), tick=True):
        order = paid_order(client, lamp, method="ideal")  # standard delivery in the Netherlands: 1–2 working days

    first, last = delivery_window(order)
    assert (first, last) == (date(2026, 11, 26), date(2026, 11, 27)), "Thursday and Friday"
    message = email.message_from_bytes(smtp_server.messages[0].content)
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain").get_payload(decode=True).decode()
    assert "Payment: iDEAL" in text
    assert f"Expected delivery: between {first:%A} {first.day} {first:%B} and {last:%A} {last.day} {last:%B}" in text

    page = client.get("/shop/checkout/thank-you/").content.decode()
    window = page[page.index('id="expected-delivery"') :]
    assert f"Between {first:%A} {first.day} {first:%B} and {last:%A} {last.day} {last:%B}" in window[:600]
    vat = page[page.index('id="order-vat"') :]
    # €24.95 lamp + €4.95 delivery = €29.90, all at 21%: €24.71 net, €5.19 VAT
    assert "Includes VAT 21% on €24.71" in vat[:600] and "€5.19" in vat[:600]
    payments = page[page.index('id="order-payments"') :]
    assert "iDEAL" in payments[:1500] and "Paid" in payments[:1500]


@pytest.mark.django_db
def test_a_delivery_method_without_a_lead_time_shows_no_window(client, lamp, mollie, settings):
    settings.SHOP_DELIVERY_WORKING_DAYS = {}
    order = paid_order(client, lamp)

    assert delivery_window(order) is None
    assert 'id="expected-delivery"' not in client.get("/shop/checkout/thank-you/").content.decode()


@pytest.mark.django_db
def test_an_order_waiting_for_its_payment_has_no_delivery_window_yet(client, lamp, mollie):
    from tests.support.checkout import checkout_to_preview, place_order

    checkout_to_preview(client, lamp, method="banktransfer")
    place_order(client)

    assert delivery_window(Order.objects.get()) is None


def test_each_delivery_method_states_the_working_days_its_window_is_computed_from(settings):
    described = {code: method_description(code, note, free) for code, _, note, _, free, _ in SHIPPING_METHODS}

    assert described == {
        "standard-nl": "1–2 working days with PostNL. Free from €50.",
        "express-nl": "Next working day, ordered before 22:00.",
        "standard-eu": "2–5 working days. Free from €100.",
        "express-eu": "1–2 working days.",
    }
    settings.SHOP_DELIVERY_WORKING_DAYS = {**settings.SHOP_DELIVERY_WORKING_DAYS, "express-eu": (2, 3)}
    assert method_description("express-eu", "", None) == "2–3 working days."
