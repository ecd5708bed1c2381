"""The shopper's order history: newest first, with status, filters and pages, in a constant number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from shop.bootstrap import reference_data_ensure
from tests.support.checkout import basket_with, place_pending, product_with_stock
from tests.support.users import login, user_with_login

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db

URL = "/shop/accounts/orders/"


@pytest.fixture
def shopper(client):
    reference_data_ensure()
    user = user_with_login("history@example.com")
    login(client, "history@example.com")
    return user


def place(user, product, quantity=1, status=None):
    order = place_pending(basket_with(product, quantity, owner=user), user=user).order
    if status:
        Order.objects.filter(pk=order.pk).update(status=status)
    return order


def rows(html: str) -> list[str]:
    """The status of each row of the history table, top to bottom."""
    return [chunk.split('"', 1)[0] for chunk in html.split('<tr class="order" data-status="')[1:]]


def test_orders_are_listed_newest_first_with_status_and_item_count(client, shopper):
    vase = product_with_stock(title="Vase", stock=50)
    first = place(shopper, vase, 2, status="Delivered")
    second = place(shopper, vase, 3, status="Paid")

    html = client.get(URL).content.decode()

    assert rows(html) == ["Paid", "Delivered"]
    assert html.index(second.number) < html.index(first.number)
    table = html[html.index('id="order-history"') :]
    assert '<td class="text-right">3</td>' in table and '<td class="text-right">2</td>' in table


def test_the_history_filters_by_status_and_shows_only_the_shoppers_orders(client, shopper):
    vase = product_with_stock(title="Vase", stock=50)
    place(shopper, vase, status="Delivered")
    paid = place(shopper, vase, status="Paid")
    stranger = user_with_login("stranger@example.com")
    theirs = place(stranger, vase, status="Paid")

    html = client.get(URL, {"status": "Paid"}).content.decode()

    assert rows(html) == ["Paid"] and paid.number in html and theirs.number not in html
    nothing = client.get(URL, {"status": "Refunded"}).content.decode()
    assert "No orders match your search." in nothing


def test_the_history_pages_cost_the_same_queries_for_2_and_20_orders(client, shopper, settings):
    settings.SHOP_UNPAID_ORDERS_PER_EMAIL = 20  # the orders stay pending payment here
    vase = product_with_stock(title="Vase", stock=500)
    for _ in range(2):
        place(shopper, vase, 2)

    def queries():
        client.get(URL)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured.captured_queries)

    two = queries()
    for _ in range(18):
        place(shopper, vase, 2)
    assert queries() == two
