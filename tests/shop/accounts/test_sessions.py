"""A signed-in user sees where they are signed in and signs out every other session."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from shop.demo.accounts import DEMO_PASSWORD
from tests.support.users import login, user_with_login

pytestmark = pytest.mark.django_db

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
    "Version/18.0 Mobile/15E148 Safari/604.1"
)


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


def test_staff_are_signed_out_when_idle_and_shoppers_are_not(settings, monkeypatch):
    settings.SHOP_STAFF_IDLE_MINUTES = 30
    user_with_login("clerk@example.com", is_staff=True, permissions=("order.view_order",))
    user_with_login("shopper2@example.com")
    staff, shopper = Client(), Client()
    login(staff, "clerk@example.com")
    login(shopper, "shopper2@example.com")
    assert staff.get("/shop/dashboard/orders/").status_code == 200

    later = timezone.now() + timedelta(minutes=31)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert staff.get("/shop/dashboard/orders/").status_code == 302  # back to the sign-in page
    assert shopper.get("/shop/accounts/orders/").status_code == 200


def test_one_other_session_is_signed_out_by_its_own_button_and_names_its_device():
    from allauth.usersessions.models import UserSession

    user_with_login("traveller@example.com")
    laptop = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0")
    phone = Client(HTTP_USER_AGENT=IPHONE)
    tablet = Client(HTTP_USER_AGENT="Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36")
    for browser in (laptop, phone, tablet):
        login(browser, "traveller@example.com")
    page = laptop.get("/accounts/sessions/").content.decode()
    assert "Firefox on Linux" in page and "Mobile Safari on iOS (iPhone)" in page

    phone_session = UserSession.objects.get(user_agent=IPHONE)
    assert laptop.post(f"/accounts/sessions/{phone_session.pk}/sign-out/").status_code == 302

    assert phone.get("/shop/accounts/orders/").status_code == 302
    assert tablet.get("/shop/accounts/orders/").status_code == 200  # the others stay signed in
    assert laptop.get("/shop/accounts/orders/").status_code == 200


def test_no_one_signs_out_someone_elses_session():
    from allauth.usersessions.models import UserSession

    user_with_login("victim@example.com")
    user_with_login("mallory@example.com")
    victim, mallory = Client(), Client()
    login(victim, "victim@example.com")
    login(mallory, "mallory@example.com")
    victims_session = UserSession.objects.get(user__email="victim@example.com")

    assert mallory.post(f"/accounts/sessions/{victims_session.pk}/sign-out/").status_code == 404
    assert victim.get("/shop/accounts/orders/").status_code == 200
    assert "victim" not in mallory.get("/accounts/sessions/").content.decode()


def test_keep_me_signed_in_lasts_the_configured_period_otherwise_the_browser_session(settings):
    settings.SESSION_COOKIE_AGE = 14 * 24 * 60 * 60
    user_with_login("shopper@example.com")
    remembered, forgotten = Client(), Client()

    remembered.post("/accounts/login/", {"login": "shopper@example.com", "password": DEMO_PASSWORD, "remember": "on"})
    forgotten.post("/accounts/login/", {"login": "shopper@example.com", "password": DEMO_PASSWORD})

    assert remembered.cookies["sessionid"]["max-age"] == 14 * 24 * 60 * 60
    assert forgotten.cookies["sessionid"]["max-age"] == "" and forgotten.cookies["sessionid"]["expires"] == ""


def test_the_session_key_changes_at_sign_in():
    user_with_login("shopper@example.com")
    browser = Client()
    browser.get("/shop/basket/")  # an anonymous session, as a visitor has before signing in
    browser.session["visited"] = True
    anonymous_key = browser.cookies["sessionid"].value

    login(browser, "shopper@example.com")

    assert browser.cookies["sessionid"].value != anonymous_key


def test_changing_the_password_signs_out_every_other_session():
    user_with_login("shopper@example.com")
    here, elsewhere = Client(), Client()
    login(here, "shopper@example.com")
    login(elsewhere, "shopper@example.com")

    response = here.post(
        "/accounts/password/change/",
        {"oldpassword": DEMO_PASSWORD, "password1": "a-new-long-password-9", "password2": "a-new-long-password-9"},
    )

    assert response.status_code == 302
    assert here.get("/shop/accounts/orders/").status_code == 200
    assert elsewhere.get("/shop/accounts/orders/").status_code == 302
