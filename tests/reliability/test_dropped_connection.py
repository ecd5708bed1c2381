"""Drill: PostgreSQL drops the web process's connection in the middle of "Place order" (a restart, a
failover, an operator's pg_terminate_backend). Nothing is half written, the shopper reaches Mollie with
one order and one payment, and a placement whose answer was lost is resumed on the shopper's next try.

The fault points are fixed: the connection is terminated at a named step of the placement, through a
second connection, as PostgreSQL would end it."""

from datetime import timedelta

import psycopg
import pytest
from django.db import connection
from django.db.models import F
from django.test import Client
from oscar.core.loading import get_model

from shop.orders.selectors import RESUME_WINDOW
from shop.payments import gateway
from shop.payments.models import Payment
from shop.payments.services import checkout as payment_checkout
from tests.support.checkout import checkout_to_preview, place_order

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def terminate_our_connection() -> None:
    """End this thread's database session from outside, as an administrator or a restart would."""
    pid = connection.connection.info.backend_pid
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or 5432
    ) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def dropping_connection(function, *, times: int = 1, before: bool = False):
    """`function`, but the first `times` calls lose the database connection (before or after running)."""
    calls = {"n": 0}

    def wrapper(*args, **kwargs):
        calls["n"] += 1
        drop = calls["n"] <= times
        if drop and before:
            terminate_our_connection()
        result = function(*args, **kwargs)
        if drop and not before:
            terminate_our_connection()
        return result

    return wrapper


def creates(mollie) -> list[dict]:
    return [r for r in mollie.requests if (r["method"], r["path"]) == ("POST", "/v2/payments")]


def test_connection_dropped_while_placing_rolls_back_and_the_retry_places_one_order(client, lamp, mollie, monkeypatch):
    from shop.orders import services as order_services

    checkout_to_preview(client, lamp, quantity=2)
    # Inside the placement's transaction, after the stock rows are locked: nothing may survive the drop.
    monkeypatch.setattr(
        order_services, "stock_lock_and_check", dropping_connection(order_services.stock_lock_and_check)
    )

    response = place_order(client)

    order = Order.objects.get()
    payment = Payment.objects.get()
    assert response.status_code == 302 and response["Location"] == payment.checkout_url
    assert order.status == "Pending payment" and order.lines.get().quantity == 2
    assert StockRecord.objects.get(product=lamp).num_allocated == 2, "allocated once, by the one order"
    assert len(creates(mollie)) == 1 and mollie.payments_created() == 1


def test_connection_dropped_after_mollie_created_the_payment_still_sends_the_shopper_there(
    client, lamp, mollie, monkeypatch
):
    checkout_to_preview(client, lamp)
    monkeypatch.setattr(gateway, "create_payment", dropping_connection(gateway.create_payment))

    response = place_order(client)

    payment = Payment.objects.get()
    assert payment.mollie_id and payment.checkout_url, "Mollie's answer was recorded on the second try"
    assert response.status_code == 302 and response["Location"] == payment.checkout_url
    assert mollie.payments_created() == 1
    assert Order.objects.get().status == "Pending payment"


def test_a_placement_whose_answer_was_lost_is_resumed_with_the_same_order_and_payment(
    client, lamp, mollie, monkeypatch
):
    checkout_to_preview(client, lamp)
    # The database stays away for both tries of recording Mollie's answer: the request fails after the
    # order was committed and the payment created at Mollie, so the shopper gets an error page.
    monkeypatch.setattr(
        payment_checkout,
        "_record_created",
        dropping_connection(payment_checkout._record_created, times=2, before=True),
    )
    failing = Client(raise_request_exception=False)
    failing.cookies = client.cookies

    assert place_order(failing).status_code == 500

    order = Order.objects.get()
    payment = Payment.objects.get()
    assert order.status == "Pending payment" and not payment.mollie_id
    assert mollie.payments_created() == 1
    # A minute later (the dead request's claim on the create call has lapsed) the shopper presses
    # "Place order" again, from the same browser: the basket is gone, the order is not.
    Payment.objects.update(create_claimed_at=F("create_claimed_at") - timedelta(minutes=1))

    again = place_order(client)

    payment.refresh_from_db()
    assert again.status_code == 302 and again["Location"] == payment.checkout_url
    assert Order.objects.count() == 1 and Payment.objects.count() == 1
    assert [r["idempotency_key"] for r in creates(mollie)] == [payment.idempotency_key] * 2
    assert mollie.payments_created() == 1, "Mollie replayed its first answer: one payment"
    assert mollie.payment(payment.mollie_id)["status"] == "open"


def test_an_empty_basket_at_the_preview_leads_to_the_order_waiting_for_payment(client, lamp, mollie):
    checkout_to_preview(client, lamp)
    place_order(client)
    order = Order.objects.get()

    response = client.get("/shop/checkout/preview/")

    assert response.status_code == 302
    assert response["Location"] == f"/shop/checkout/payment/{order.number}/{order.verification_hash()}/"


def test_an_order_placed_long_ago_or_by_another_browser_is_not_resumed(client, lamp, mollie):
    checkout_to_preview(client, lamp)
    place_order(client)
    stranger = Client()

    assert stranger.get("/shop/checkout/preview/")["Location"] == "/shop/basket/"
    Order.objects.update(date_placed=F("date_placed") - RESUME_WINDOW - timedelta(minutes=1))
    assert client.get("/shop/checkout/preview/")["Location"] == "/shop/basket/"
