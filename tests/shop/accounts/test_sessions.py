"""A signed-in user sees where they are signed in and signs out every other session."""

import pytest
from django.test import Client

from tests.support.users import login, user_with_login

pytestmark = pytest.mark.django_db


def test_the_sessions_page_lists_each_browser_and_signs_out_the_others():
    user_with_login("traveller@example.com")
    laptop = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0", REMOTE_ADDR="198.51.100.1")
    phone = Client(HTTP_USER_AGENT="Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) Safari/604.1", REMOTE_ADDR="198.51.100.2")
    login(laptop, "traveller@example.com")
    login(phone, "traveller@example.com")

    page = laptop.get("/accounts/sessions/").content.decode()
    assert "198.51.100.1" in page and "198.51.100.2" in page

    assert laptop.post("/accounts/sessions/").status_code == 302  # "sign out other sessions"

    assert phone.get("/shop/accounts/orders/").status_code == 302  # the phone must sign in again
    assert laptop.get("/shop/accounts/orders/").status_code == 200
    assert "198.51.100.2" not in laptop.get("/accounts/sessions/").content.decode()


def test_the_sessions_page_needs_a_sign_in(client):
    response = client.get("/accounts/sessions/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_staff_are_signed_out_when_idle_and_shoppers_are_not(settings):
    import time

    settings.SHOP_STAFF_IDLE_MINUTES = 1 / 60  # one second, for the test
    user_with_login("clerk@example.com", is_staff=True, permissions=("order.view_order",))
    user_with_login("shopper2@example.com")
    staff, shopper = Client(), Client()
    login(staff, "clerk@example.com")
    login(shopper, "shopper2@example.com")
    assert staff.get("/shop/dashboard/orders/").status_code == 200

    time.sleep(1.5)

    assert staff.get("/shop/dashboard/orders/").status_code == 302  # back to the sign-in page
    assert shopper.get("/shop/accounts/orders/").status_code == 200
