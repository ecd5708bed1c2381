"""Account emails: a sign-in from a new device is told to the owner; every account email has an HTML side."""

import pytest
from django.test import Client

from shop.demo.accounts import DEMO_PASSWORD
from shop.notifications.models import OutgoingEmail
from tests.support.users import login, user_with_login

pytestmark = pytest.mark.django_db

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
    "Version/18.0 Mobile/15E148 Safari/604.1"
)


def new_sign_in_emails():
    return OutgoingEmail.objects.filter(to=["traveller@example.com"], subject="New sign-in to your account")


def test_a_sign_in_from_a_new_device_is_emailed_once_with_where_and_what_to_do():
    user_with_login("traveller@example.com")
    login(Client(HTTP_USER_AGENT=FIREFOX), "traveller@example.com")  # the first sign-in is no news
    login(Client(HTTP_USER_AGENT=FIREFOX), "traveller@example.com")  # nor is the same device again
    assert not new_sign_in_emails().exists()

    login(Client(HTTP_USER_AGENT=IPHONE, REMOTE_ADDR="198.51.100.33"), "traveller@example.com")
    login(Client(HTTP_USER_AGENT=IPHONE, REMOTE_ADDR="198.51.100.34"), "traveller@example.com")

    (email,) = new_sign_in_emails()
    assert "Mobile Safari on iOS (iPhone)" in email.body and "198.51.100.33" in email.body
    assert "/accounts/password/reset/" in email.body and "/accounts/sessions/" in email.body
    assert "Mobile Safari on iOS (iPhone)" in email.html_body and '<a href="http' in email.html_body


def test_a_failed_sign_in_from_a_new_device_sends_nothing():
    user_with_login("traveller@example.com")
    login(Client(HTTP_USER_AGENT=FIREFOX), "traveller@example.com")

    Client(HTTP_USER_AGENT=IPHONE).post("/accounts/login/", {"login": "traveller@example.com", "password": "nope"})

    assert not new_sign_in_emails().exists()


def test_the_password_reset_email_reads_well_in_text_and_html():
    user_with_login("forgetful@example.com")
    Client().post("/accounts/password/reset/", {"email": "forgetful@example.com"})

    email = OutgoingEmail.objects.get(to=["forgetful@example.com"])
    assert email.body.startswith("Hello,") and email.body.endswith("Kind regards,\nThe Django Shop team")
    assert "/accounts/password/reset/key/" in email.body
    assert f'<h2 class="first">{email.subject}</h2>' in email.html_body
    assert '<a href="http://' in email.html_body and "/accounts/password/reset/key/" in email.html_body


def test_a_password_change_is_told_to_the_owner_with_the_device():
    user_with_login("traveller@example.com")
    browser = Client(HTTP_USER_AGENT=FIREFOX)
    login(browser, "traveller@example.com")

    browser.post(
        "/accounts/password/change/",
        {"oldpassword": DEMO_PASSWORD, "password1": "a-new-long-password-9", "password2": "a-new-long-password-9"},
    )

    email = OutgoingEmail.objects.get(to=["traveller@example.com"], subject__icontains="password")
    assert "Firefox on Linux" in email.body
