"""Order numbers are short and readable, and say nothing about other orders: no sequence to walk."""

import re

import pytest

from shop.orders import services
from tests.support.checkout import basket_with, place_pending, product_with_stock

pytestmark = pytest.mark.django_db

# Digits and consonants without look-alikes (no 0/O, 1/I): readable over the phone, no words spelled.
READABLE = re.compile(r"[23456789BCDFGHJKLMNPQRSTVWXZ]{9}")


def test_numbers_are_short_readable_and_owe_nothing_to_the_basket():
    lamp = product_with_stock(title="Lamp", stock=20)

    orders = [place_pending(basket_with(lamp)).order for _ in range(6)]

    numbers = [order.number for order in orders]
    assert all(READABLE.fullmatch(number) for number in numbers), numbers
    assert len(set(numbers)) == len(numbers)
    assert not any(order.number == str(100000 + order.basket_id) for order in orders)


def test_a_number_already_taken_is_drawn_again(monkeypatch):
    lamp = product_with_stock(title="Lamp", stock=20)
    first = place_pending(basket_with(lamp)).order
    draws = iter([first.number, "BCDFGHJKL"])
    monkeypatch.setattr(services, "_order_number_draw", lambda: next(draws))

    second = place_pending(basket_with(lamp)).order

    assert second.number == "BCDFGHJKL"
