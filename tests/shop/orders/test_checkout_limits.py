"""Nobody holds the stock hostage: placing unpaid orders is limited per client address and per email
address, and units are capped per product and per order. (A bank transfer's shorter hold is tested
in tests/shop/payments/test_housekeeping.py.)"""

import pytest
from django.test import Client
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_model

from shop.orders.services import order_cancel_pending
from shop.outbox.models import OutboxMessage
from shop.payments.models import Payment
from tests.support.checkout import (
    basket_with,
    checkout_to_preview,
    pay_at_mollie,
    place_order,
    place_pending,
    product_with_stock,
)

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def shopper(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


def nothing_more_written(*, orders: int, allocated: int, mollie, payments: int, outbox: int, product) -> None:
    assert Order.objects.count() == orders
    assert StockRecord.objects.get(product=product).num_allocated == allocated
    assert mollie.payments_created() == payments == Payment.objects.count()
    assert OutboxMessage.objects.count() == outbox  # no email queued (transfer instructions, confirmation)


def test_one_client_placing_order_after_order_is_refused_with_429_and_nothing_is_written(lamp, mollie, settings):
    settings.SHOP_CHECKOUT_RATE = 2
    lamp_stock = StockRecord.objects.get(product=lamp)
    lamp_stock.num_in_stock = 100
    lamp_stock.save()
    bot = shopper("203.0.113.9")
    for number in range(2):
        checkout_to_preview(bot, lamp, quantity=2, method="banktransfer", guest_email=f"victim{number}@example.com")
        assert place_order(bot).status_code == 302
    outbox = OutboxMessage.objects.count()

    checkout_to_preview(bot, lamp, quantity=2, method="banktransfer", guest_email="victim9@example.com")
    response = place_order(bot)

    assert response.status_code == 429
    assert "Too many orders from your connection" in response.content.decode()
    nothing_more_written(orders=2, allocated=4, mollie=mollie, payments=2, outbox=outbox, product=lamp)
    # Another shopper is not affected.
    other = shopper("198.51.100.20")
    checkout_to_preview(other, lamp, method="ideal", guest_email="someone@example.com")
    assert place_order(other).status_code == 302


def test_paying_again_and_again_is_limited_per_client_too(client, lamp, mollie, settings):
    """Each "pay again" creates a payment at Mollie, and a bank transfer emails its details."""
    settings.SHOP_CHECKOUT_RATE = 2
    checkout_to_preview(client, lamp, method="creditcard")
    return_path = pay_at_mollie(place_order(client)["Location"], status="failed")
    for method in ("banktransfer", "ideal"):
        response = client.post(return_path + "pay/", {"method": method})
        assert response["Location"].startswith(mollie.url)

    response = client.post(return_path + "pay/", {"method": "banktransfer"}, follow=True)

    assert "Too many payment attempts" in response.content.decode()
    assert mollie.payments_created() == Payment.objects.count() == 3


def test_one_email_address_with_too_many_unpaid_orders_is_refused_until_one_is_settled(lamp, mollie, settings):
    settings.SHOP_UNPAID_ORDERS_PER_EMAIL = 2
    for number in range(2):
        browser = shopper(f"192.0.2.{number + 1}")
        checkout_to_preview(browser, lamp, method="banktransfer", guest_email="victim@example.com")
        assert place_order(browser).status_code == 302
    outbox = OutboxMessage.objects.count()

    browser = shopper("192.0.2.3")  # a new address, the same email in other letters
    checkout_to_preview(browser, lamp, method="banktransfer", guest_email="Victim@Example.com")
    response = place_order(browser)

    assert response.status_code == 429
    assert "already waiting for payment" in response.content.decode()
    nothing_more_written(orders=2, allocated=2, mollie=mollie, payments=2, outbox=outbox, product=lamp)

    order_cancel_pending(order_id=Order.objects.order_by("pk").first().pk, reason="test: timed out")
    assert place_order(browser).status_code == 302  # one is no longer waiting: the same basket may be ordered
    assert Order.objects.filter(status="Pending payment").count() == 2


def test_more_than_the_line_limit_is_refused_when_adding_and_when_changing_the_basket(client, lamp, settings):
    settings.SHOP_MAX_LINE_QUANTITY = 3
    lamp_stock = StockRecord.objects.get(product=lamp)
    lamp_stock.num_in_stock = 100
    lamp_stock.save()

    response = client.post(f"/shop/basket/add/{lamp.pk}/", {"quantity": 4}, follow=True)
    assert "at most 3 of this product" in response.content.decode()
    client.post(f"/shop/basket/add/{lamp.pk}/", {"quantity": 2})
    response = client.post(f"/shop/basket/add/{lamp.pk}/", {"quantity": 2}, follow=True)  # 2 + 2 > 3
    assert "at most 3 of this product" in response.content.decode()

    page = client.get("/shop/basket/")
    formset = page.context["formset"]
    line = formset.forms[0].instance
    response = client.post(
        "/shop/basket/",
        {
            f"{formset.prefix}-TOTAL_FORMS": "1",
            f"{formset.prefix}-INITIAL_FORMS": "1",
            f"{formset.prefix}-0-id": str(line.pk),
            f"{formset.prefix}-0-quantity": "5",
        },
    )
    assert "at most 3 of this product" in response.content.decode()
    lines = client.get("/shop/basket/").context["basket"].all_lines()
    assert [(item.product_id, item.quantity) for item in lines] == [(lamp.pk, 2)]


def test_placing_the_order_checks_the_line_and_order_limits_again(lamp, settings):
    """A basket filled around the forms (an old basket, a merge at sign-in, a bug) is refused at place-order."""
    settings.SHOP_MAX_LINE_QUANTITY = 3
    settings.OSCAR_MAX_BASKET_QUANTITY_THRESHOLD = 5
    plenty = product_with_stock(title="Pencil", price="0.95", stock=100)

    with pytest.raises(UnableToPlaceOrder, match="at most 3 of “Pencil”"):
        place_pending(basket_with(plenty, quantity=4))

    basket = basket_with(plenty, quantity=3)
    basket.add_product(lamp, 3)
    with pytest.raises(UnableToPlaceOrder, match="at most 5 items"):
        place_pending(basket)

    assert not Order.objects.exists()
    assert StockRecord.objects.filter(num_allocated__gt=0).count() == 0


def test_a_basket_over_the_limits_is_sent_back_to_the_basket_with_the_reason(client, lamp, mollie, settings):
    checkout_to_preview(client, lamp, quantity=3, method="ideal")
    settings.OSCAR_MAX_BASKET_QUANTITY_THRESHOLD = 2  # lowered while the shopper was checking out

    response = place_order(client, follow=True)

    assert response.redirect_chain[-1][0] == "/shop/basket/"
    assert "one order can hold at most 2 items" in response.content.decode()
    assert not Order.objects.exists() and mollie.payments_created() == 0
