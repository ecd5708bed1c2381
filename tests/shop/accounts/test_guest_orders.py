"""An order placed as a guest joins the account whose owner proves the address, never on sign-up alone."""

import pytest
from django.test import Client

from shop.notifications.models import OutgoingEmail
from tests.support.checkout import basket_with, place_pending, product_with_stock
from tests.support.users import ask_for_a_new_address, link_sent_to, login, user_with_login

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"


def guest_order(email: str):
    """An order placed at the checkout by a visitor who did not sign in."""
    lamp = product_with_stock(title=f"Lamp for {email}")
    return place_pending(basket_with(lamp), email=email).order


def test_guest_orders_join_the_account_once_its_address_is_verified():
    bought = guest_order("Guest@Example.com")
    someone_elses = guest_order("other@example.com")
    browser = Client()

    browser.post("/accounts/signup/", {"email": "guest@example.com", "password1": PASSWORD, "password2": PASSWORD})

    bought.refresh_from_db()
    assert bought.user_id is None  # signed up, not yet proven

    browser.post(link_sent_to("guest@example.com"))

    bought.refresh_from_db()
    someone_elses.refresh_from_db()
    assert bought.user.email == "guest@example.com"
    assert someone_elses.user_id is None
    assert bought.number in browser.get("/shop/accounts/orders/").content.decode()


def test_an_address_added_later_brings_its_guest_orders_once_verified():
    shopper = user_with_login("shopper@example.com")
    bought = guest_order("work@example.com")
    browser = Client()
    login(browser, "shopper@example.com")

    ask_for_a_new_address(browser, "work@example.com")
    bought.refresh_from_db()
    assert bought.user_id is None

    browser.post(link_sent_to("work@example.com"))

    bought.refresh_from_db()
    assert bought.user == shopper
    assert OutgoingEmail.objects.filter(to=["work@example.com"]).exists()
