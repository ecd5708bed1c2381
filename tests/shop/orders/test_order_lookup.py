"""Guests find their order by number and email address; misses say nothing about which part was wrong."""

import email
from email import policy
from urllib.parse import urlsplit

import pytest
from django.test import Client

from shop.notifications.models import OutgoingEmail
from tests.support.orders import paid_order
from tests.support.tasks import run_outbox

pytestmark = pytest.mark.django_db

URL = "/shop/order-lookup/"
MISS = "We could not find an order with this number and email address."
LINK_EMAILED = "If this number and email address belong to an order, we have emailed its link to that address."


def look_up(client, number, email_address):
    return client.post(URL, {"number": number, "email": email_address})


def test_a_guest_reaches_the_order_with_its_number_and_email(client, lamp, mollie):
    order = paid_order(client, lamp)  # guest@example.com
    guest = Client()

    response = look_up(guest, f" {order.number.lower()} ", "Guest@Example.com")

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


def test_addresses_in_one_ipv6_64_share_one_counter():
    # One subscriber gets a whole /64: a new address for each try must not mean a new counter.
    answers = [
        look_up(Client(REMOTE_ADDR=f"2001:db8:5:7::{i:x}"), f"N{i}", "guest@example.com").status_code
        for i in range(1, 26)
    ]

    assert answers == [200] * 10 + [429] * 15  # SHOP_ORDER_LOOKUP_RATE = 10
    assert look_up(Client(REMOTE_ADDR="2001:db8:5:8::1"), "N26", "guest@example.com").status_code == 200


def test_guessing_a_numbers_email_from_many_addresses_does_not_lock_its_owner_out(
    client, lamp, mollie, smtp_server, settings
):
    settings.SHOP_ORDER_LOOKUP_RATE = 3
    order = paid_order(client, lamp)  # guest@example.com
    delivered = len(smtp_server.messages)  # the confirmation
    guesses = [
        look_up(Client(REMOTE_ADDR=f"203.0.113.{i}"), order.number, f"guess{i}@example.com") for i in range(1, 7)
    ]
    # Three misses on one number, then the page no longer says whether a number and address match.
    assert [MISS in g.content.decode() for g in guesses] == [True] * 3 + [False] * 3
    assert all(g.status_code == 200 and "anon_order_email" not in g.wsgi_request.session for g in guesses)
    assert all(LINK_EMAILED in g.content.decode() for g in guesses[3:])

    owner = Client(REMOTE_ADDR="198.51.100.50")
    answer = look_up(owner, order.number, "guest@example.com")
    again = look_up(owner, order.number, "guest@example.com")
    run_outbox()

    # The owner gets the same answer as the guesser, and the link in their mailbox (once per window).
    assert answer.status_code == again.status_code == 200 and LINK_EMAILED in answer.content.decode()
    [message] = [email.message_from_bytes(m.content, policy=policy.default) for m in smtp_server.messages[delivered:]]
    assert message["To"] == "guest@example.com" and order.number in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    [link] = [line for line in body.splitlines() if f"/{order.number}/" in line]
    # The signed link asks for the order's email address, as the confirmation's link does.
    page = owner.get(urlsplit(link.strip()).path, follow=True)
    page = owner.post(page.redirect_chain[-1][0], {"email": "guest@example.com"}, follow=True)
    assert page.status_code == 200 and f"Order #{order.number}" in page.content.decode()


def test_a_number_whose_misses_are_spent_emails_nobody_for_a_wrong_address(client, lamp, mollie, settings):
    settings.SHOP_ORDER_LOOKUP_RATE = 1
    order = paid_order(client, lamp)
    emails = OutgoingEmail.objects.count()  # the confirmation

    answers = [look_up(Client(REMOTE_ADDR=f"203.0.113.{i}"), order.number, "someone@example.com") for i in (1, 2)]
    run_outbox()

    assert MISS in answers[0].content.decode() and LINK_EMAILED in answers[1].content.decode()
    assert OutgoingEmail.objects.count() == emails


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
