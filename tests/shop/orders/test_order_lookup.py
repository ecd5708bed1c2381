"""Guests find their order by number and email address; misses say nothing about which part was wrong."""

import pytest
from django.test import Client

from tests.support.orders import paid_order

pytestmark = pytest.mark.django_db

URL = "/shop/order-lookup/"


def look_up(client, number, email_address):
    return client.post(URL, {"number": number, "email": email_address})


def test_a_guest_reaches_the_order_with_its_number_and_email(client, lamp, mollie):
    order = paid_order(client, lamp)  # guest@example.com
    guest = Client()

    response = look_up(guest, f" {order.number} ", "Guest@Example.com")

    assert response.status_code == 302
    page = guest.get(response["Location"])
    assert page.status_code == 200
    assert f"Order #{order.number}" in page.content.decode() and 'id="order-timeline"' in page.content.decode()


def test_a_wrong_number_and_a_wrong_email_get_the_same_answer(client, lamp, mollie):
    order = paid_order(client, lamp)

    wrong_email = look_up(Client(), order.number, "someone@example.com")
    wrong_number = look_up(Client(), "999999", "guest@example.com")

    assert wrong_email.status_code == wrong_number.status_code == 200
    message = "We could not find an order with this number and email address."
    assert message in wrong_email.content.decode() and message in wrong_number.content.decode()
    assert "anon_order_email" not in wrong_email.wsgi_request.session


def test_a_signed_in_shoppers_order_is_not_found_this_way(client, lamp, mollie):
    from tests.support.users import login, user_with_login

    user_with_login("buyer@example.com")
    login(client, "buyer@example.com")
    order = paid_order(client, lamp, guest_email=None)

    assert "could not find" in look_up(Client(), order.number, "buyer@example.com").content.decode()


def test_lookups_are_throttled_per_client(client, settings):
    settings.SHOP_ORDER_LOOKUP_RATE = 3
    guest = Client()
    for _ in range(3):
        assert look_up(guest, "100001", "guest@example.com").status_code == 200

    throttled = look_up(guest, "100002", "guest@example.com")

    assert throttled.status_code == 429 and "Too many attempts" in throttled.content.decode()
    assert look_up(Client(REMOTE_ADDR="192.0.2.7"), "100002", "guest@example.com").status_code == 200
    # One order number, asked about from many addresses, is throttled too.
    assert look_up(Client(REMOTE_ADDR="192.0.2.8"), "100001", "guest@example.com").status_code == 429


def test_an_invalid_form_says_what_is_wrong(client):
    response = look_up(Client(), "", "not-an-email")

    assert response.status_code == 400
    html = response.content.decode()
    assert "This field is required." in html and "Enter a valid email address." in html


def test_behind_the_proxy_the_throttle_counts_the_address_the_proxy_saw(settings):
    settings.SHOP_ORDER_LOOKUP_RATE = 2
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    proxy = {"REMOTE_ADDR": "127.0.0.1"}  # every request arrives from the reverse proxy

    numbers = iter(range(100001, 100100))  # a new order number each time: only the address counts here

    def from_client(address, forged=""):
        chain = f"{forged}, {address}" if forged else address
        client = Client(HTTP_X_FORWARDED_FOR=chain, **proxy)
        return look_up(client, str(next(numbers)), "guest@example.com").status_code

    assert [from_client("198.51.100.1"), from_client("198.51.100.1")] == [200, 200]
    # A client writing other addresses into X-Forwarded-For is still counted as itself…
    assert from_client("198.51.100.1", forged="203.0.113.9") == 429
    # …and other shoppers behind the same proxy keep their own counters.
    assert from_client("198.51.100.2") == 200
