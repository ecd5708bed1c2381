"""Concurrent buyers on PostgreSQL, each on its own connection, released together by a barrier."""

import pytest
from django.db import connection
from oscar.core.loading import get_model

from shop.orders.services import OutOfStock
from tests.support.checkout import basket_with, place_pending, product_with_stock
from tests.support.concurrency import race

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

BUYERS = 20
UNITS = 5
ROUNDS = 10


def free_stock(product) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT num_in_stock - COALESCE(num_allocated, 0) FROM partner_stockrecord WHERE product_id = %s",
            [product.pk],
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_twenty_buyers_for_the_last_five_units_make_exactly_five_orders(round_):
    product = product_with_stock(title=f"Last lamp {round_}", stock=UNITS)
    baskets = [basket_with(product, 1) for _ in range(BUYERS)]

    results = race([lambda basket=basket: place_pending(basket) for basket in baskets])

    placed = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, Exception)]
    assert len(placed) == UNITS
    assert all(isinstance(r, OutOfStock) for r in refused), refused
    assert Order.objects.filter(lines__product=product).count() == UNITS
    assert free_stock(product) == 0


def test_a_buyer_cannot_take_more_than_is_free_even_alone():
    product = product_with_stock(title="Rare vase", stock=2)

    with pytest.raises(OutOfStock, match="only 2 of “Rare vase” left"):
        place_pending(basket_with(product, 3))

    assert free_stock(product) == 2
    assert not Order.objects.exists()


def test_two_submits_of_one_basket_place_one_order():
    product = product_with_stock(title="Teapot", stock=10)
    basket = basket_with(product, 2)

    results = race([lambda: place_pending(basket), lambda: place_pending(basket)])

    assert not [r for r in results if isinstance(r, Exception)], results
    assert {r.order.pk for r in results} == {Order.objects.get().pk}
    assert sorted(r.created for r in results) == [False, True]
    assert free_stock(product) == 8
