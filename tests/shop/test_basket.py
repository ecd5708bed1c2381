"""The basket: add, change, remove, save for later, vouchers, limits — totals and VAT always from the server."""

from decimal import Decimal

import pytest
from django.test import Client
from oscar.core.loading import get_model

from shop.bootstrap import reference_data_ensure
from tests.support.checkout import checkout_to_preview, place_order, product_with_stock, voucher
from tests.support.tasks import run_outbox
from tests.support.users import login, user_with_login

Order = get_model("order", "Order")
OrderAndItemCharges = get_model("shipping", "OrderAndItemCharges")

pytestmark = pytest.mark.django_db


def basket_lines(client):
    response = client.get("/shop/basket/")
    return response, [(line.product.title, line.quantity) for line in response.context["basket"].all_lines()]


def line_form(response, **changes):
    """The basket page's formset as the browser would post it, with `changes` applied to line 0."""
    formset = response.context["formset"]
    data = {f"{formset.prefix}-TOTAL_FORMS": "1", f"{formset.prefix}-INITIAL_FORMS": "1"}
    line = formset.forms[0].instance
    data.update({f"{formset.prefix}-0-id": str(line.pk), f"{formset.prefix}-0-quantity": str(line.quantity)})
    data.update({f"{formset.prefix}-0-{key}": value for key, value in changes.items()})
    return data


def test_the_basket_shows_prices_totals_delivery_and_vat_per_rate(client, lamp):
    client.post(f"/shop/basket/add/{lamp.pk}/", {"quantity": 2, "price": "0.01"})  # a posted price means nothing

    response, lines = basket_lines(client)

    assert lines == [("Reading lamp", 2)]
    basket = response.context["basket"]
    assert basket.total_incl_tax == Decimal("49.90")
    html = response.content.decode()
    assert "€49.90" in html and "Standard delivery" in html and "€4.95" in html
    assert "VAT 21% on €45.33" in html  # (49.90 + 4.95) at 21 %: VAT 9.52 on a net of 45.33


def test_the_order_preview_shows_the_vat_per_rate_of_basket_and_delivery(client, lamp, mollie):
    preview = checkout_to_preview(client, lamp, quantity=2)

    # (49.90 + 4.95) at 21 % holds 9.52 of VAT on a net of 45.33, computed by hand as on the basket page
    assert "VAT 21% on €45.33" in preview.content.decode()


def test_change_quantity_and_remove(client, lamp):
    client.post(f"/shop/basket/add/{lamp.pk}/", {"quantity": 1})
    response, _ = basket_lines(client)

    client.post("/shop/basket/", line_form(response, quantity="3"))
    response, lines = basket_lines(client)
    assert lines == [("Reading lamp", 3)]

    client.post("/shop/basket/", line_form(response, DELETE="on"))
    response, lines = basket_lines(client)
    assert lines == []
    assert "Your cart is empty" in response.content.decode()


def test_more_than_is_in_stock_is_refused_with_a_clear_error(client, lamp):
    client.post(f"/shop/basket/add/{lamp.pk}/", {"quantity": 1})
    response, _ = basket_lines(client)

    response = client.post("/shop/basket/", line_form(response, quantity="9"))

    assert "a maximum of 5 can be bought" in response.content.decode()
    assert basket_lines(client)[1] == [("Reading lamp", 1)]


def test_more_than_the_basket_limit_is_refused(client, settings):
    reference_data_ensure()
    settings.OSCAR_MAX_BASKET_QUANTITY_THRESHOLD = 3
    plenty = product_with_stock(title="Pencil", price="0.95", stock=100)

    response = client.post(f"/shop/basket/add/{plenty.pk}/", {"quantity": 4}, follow=True)

    assert "not able to ship more than 3 items" in response.content.decode()
    assert basket_lines(client)[1] == []


def test_save_for_later_moves_the_line_out_of_the_basket(client, lamp):
    user_with_login("saver@example.com")
    login(client, "saver@example.com")
    client.post(f"/shop/basket/add/{lamp.pk}/", {"quantity": 2})
    response, _ = basket_lines(client)

    client.post("/shop/basket/", line_form(response, save_for_later="on"))

    response, lines = basket_lines(client)
    assert lines == []
    saved = response.context["saved_formset"].forms[0].instance
    assert (saved.product_id, saved.quantity) == (lamp.pk, 2)


def test_a_voucher_lowers_the_total_and_the_vat_follows(client, lamp):
    voucher("TENOFF", "10")
    client.post(f"/shop/basket/add/{lamp.pk}/", {"quantity": 2})

    client.post("/shop/basket/vouchers/add/", {"code": "TENOFF"})

    response, _ = basket_lines(client)
    basket = response.context["basket"]
    assert basket.total_incl_tax == Decimal("44.91")  # 49.90 − 10 %
    assert "TENOFF" in response.content.decode()
    assert "VAT 21% on €41.21" in response.content.decode()  # (44.91 + 4.95) holds 8.65 of VAT


def test_an_order_a_voucher_pays_for_entirely_needs_no_payment(client, lamp, mollie, smtp_server):
    voucher("FREE", "100")
    OrderAndItemCharges.objects.update(price_per_order=0)  # a free-delivery week
    client.post(f"/shop/basket/add/{lamp.pk}/", {"quantity": 2})
    client.post("/shop/basket/vouchers/add/", {"code": "FREE"})

    preview = checkout_to_preview(client, method=None)
    assert "Nothing to pay" in preview.content.decode()

    response = place_order(client)
    run_outbox()

    assert response.status_code == 302 and response["Location"] == "/shop/checkout/thank-you/"
    order = Order.objects.get()
    assert order.status == "Paid" and order.total_incl_tax == Decimal("0.00")
    assert mollie.payments_created() == 0
    assert len(smtp_server.messages) == 1


def test_voucher_codes_are_tried_a_few_at_a_time_per_client(client, lamp, settings):
    settings.SHOP_VOUCHER_RATE = 3
    voucher("RIGHT", "10")
    client.post(f"/shop/basket/add/{lamp.pk}/", {"quantity": 1})
    for guess in ("WRONG1", "WRONG2", "WRONG3"):
        assert client.post("/shop/basket/vouchers/add/", {"code": guess}).status_code == 302

    response = client.post("/shop/basket/vouchers/add/", {"code": "RIGHT"})

    assert response.status_code == 429
    assert "Too many voucher codes" in response.content.decode()
    assert not basket_lines(client)[0].context["basket"].vouchers.exists()
    other = Client(REMOTE_ADDR="198.51.100.20")  # another shopper is not affected
    other.post(f"/shop/basket/add/{lamp.pk}/", {"quantity": 1})
    assert other.post("/shop/basket/vouchers/add/", {"code": "RIGHT"}).status_code == 302
    assert basket_lines(other)[0].context["basket"].vouchers.get().code == "RIGHT"


def test_adding_past_the_rate_is_refused_with_the_429_page_and_adds_nothing(settings, lamp):
    settings.SHOP_BASKET_ADD_RATE = 2
    bot = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(2):
        assert bot.post(f"/shop/basket/add/{lamp.pk}/", {"quantity": 1}).status_code == 302

    refused = bot.post(f"/shop/basket/add/{lamp.pk}/", {"quantity": 1})

    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert "Too many products were added from your connection" in refused.content.decode()
    assert basket_lines(bot)[1] == [("Reading lamp", 2)]
    # Another shopper is not affected.
    shopper = Client(REMOTE_ADDR="198.51.100.20")
    assert shopper.post(f"/shop/basket/add/{lamp.pk}/", {"quantity": 1}).status_code == 302
    assert basket_lines(shopper)[1] == [("Reading lamp", 1)]
