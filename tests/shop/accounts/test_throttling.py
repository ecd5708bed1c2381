"""Repeated failures on every identity form are throttled with a clear message, per real client address;
known and unknown email addresses get the same answer."""

import re

import pytest
from django.test import Client

from shop.demo.accounts import DEMO_PASSWORD
from shop.notifications.models import OutgoingEmail
from tests.support.users import user_with_login

pytestmark = pytest.mark.django_db

PAUSED = "we have paused this for a few minutes"
TOO_MANY_FAILED_LOGINS = "Too many failed login attempts"


def wrong_password(browser, email: str):
    return browser.post("/accounts/login/", {"login": email, "password": "not-the-password"})


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one():
    user_with_login("target@example.com")
    attacker = Client()
    for _ in range(5):
        assert (
            "The email address and/or password you specified are not correct"
            in wrong_password(attacker, "target@example.com").content.decode()
        )

    owner = Client(REMOTE_ADDR="198.51.100.7")  # from elsewhere, with the right password
    response = owner.post("/accounts/login/", {"login": "target@example.com", "password": DEMO_PASSWORD})

    assert response.status_code == 200 and TOO_MANY_FAILED_LOGINS in response.content.decode()
    assert "_auth_user_id" not in owner.session


def test_failures_from_one_address_are_throttled_across_accounts():
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    answers = [wrong_password(attacker, f"guess{i}@example.com") for i in range(11)]

    assert all(a.status_code == 200 for a in answers)
    assert TOO_MANY_FAILED_LOGINS not in answers[9].content.decode()
    assert TOO_MANY_FAILED_LOGINS in answers[10].content.decode()


def test_a_forged_forwarded_for_header_does_not_escape_the_throttle(settings):
    # Production: one proxy in front. A client reaching the app directly writes its own X-Forwarded-For.
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.SHOP_TRUSTED_PROXIES = ["10.0.0.1/32"]
    attacker = Client(REMOTE_ADDR="203.0.113.9")
    answers = [
        attacker.post(
            "/accounts/login/",
            {"login": f"guess{i}@example.com", "password": "x"},
            HTTP_X_FORWARDED_FOR=f"192.0.2.{i}",
        )
        for i in range(11)
    ]
    assert TOO_MANY_FAILED_LOGINS in answers[10].content.decode()

    # Behind the real proxy, each shopper is counted on their own address.
    shopper = Client(REMOTE_ADDR="10.0.0.1")
    response = shopper.post(
        "/accounts/login/", {"login": "guess@example.com", "password": "x"}, HTTP_X_FORWARDED_FOR="198.51.100.20"
    )
    assert TOO_MANY_FAILED_LOGINS not in response.content.decode()


def test_sign_ups_from_one_address_are_throttled_with_a_page_that_says_so():
    browser = Client(REMOTE_ADDR="203.0.113.10")
    for i in range(20):
        response = browser.post(
            "/accounts/signup/",
            {
                "email": f"bot{i}@example.com",
                "password1": "correct-horse-battery",
                "password2": "correct-horse-battery",
            },
        )
        assert response.status_code == 302, i
        browser.cookies.clear()  # a new visitor each time, same address

    response = browser.post(
        "/accounts/signup/",
        {"email": "bot20@example.com", "password1": "correct-horse-battery", "password2": "correct-horse-battery"},
    )

    assert response.status_code == 429
    assert PAUSED in response.content.decode() and "</footer>" in response.content.decode()  # the shop's layout


def test_reset_mails_for_one_address_stop_after_five():
    user_with_login("forgetful@example.com")
    browser = Client()
    for _ in range(7):
        browser.post("/accounts/password/reset/", {"email": "forgetful@example.com"})

    assert OutgoingEmail.objects.filter(to=["forgetful@example.com"]).count() == 5


def test_verification_mails_are_not_resent_within_the_cool_down(client):
    client.post(
        "/accounts/signup/",
        {"email": "new@example.com", "password1": "correct-horse-battery", "password2": "correct-horse-battery"},
    )
    again = Client()
    again.post("/accounts/login/", {"login": "new@example.com", "password": "correct-horse-battery"})

    assert OutgoingEmail.objects.filter(to=["new@example.com"]).count() == 1


def test_wrong_authenticator_codes_are_throttled():
    user_with_login("clerk@example.com", is_staff=True)
    browser = Client()
    browser.post("/accounts/login/", {"login": "clerk@example.com", "password": DEMO_PASSWORD})
    answers = [browser.post("/accounts/2fa/authenticate/", {"code": "000000"}) for _ in range(6)]

    assert "Incorrect code" in answers[0].content.decode()
    assert TOO_MANY_FAILED_LOGINS in answers[5].content.decode() or answers[5].status_code == 429


def page_without_csrf(response) -> str:
    """The page as two answers may share it: without its CSRF token and its CSP nonce (both per answer)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return re.sub(r'nonce="[^"]+"', "", html)


def test_reset_answers_the_same_for_known_and_unknown_addresses():
    user_with_login("known@example.com")
    known = Client().post("/accounts/password/reset/", {"email": "known@example.com"}, follow=True)
    unknown = Client().post("/accounts/password/reset/", {"email": "unknown@example.com"}, follow=True)

    assert known.redirect_chain == unknown.redirect_chain
    assert [t.name for t in known.templates] == [t.name for t in unknown.templates]
    assert page_without_csrf(known) == page_without_csrf(unknown)


def test_sign_up_answers_the_same_for_taken_and_free_addresses():
    user_with_login("taken@example.com")
    data = {"password1": "correct-horse-battery", "password2": "correct-horse-battery"}
    taken = Client().post("/accounts/signup/", {"email": "taken@example.com", **data}, follow=True)
    free = Client().post("/accounts/signup/", {"email": "free@example.com", **data}, follow=True)

    assert taken.redirect_chain == free.redirect_chain
    assert page_without_csrf(taken).replace("taken@", "free@") == page_without_csrf(free)


def test_login_answers_the_same_for_unknown_addresses_and_wrong_passwords():
    user_with_login("known@example.com")
    known = wrong_password(Client(), "known@example.com")
    unknown = wrong_password(Client(), "unknown@example.com")

    assert known.status_code == unknown.status_code == 200
    assert page_without_csrf(known).replace("known@", "unknown@") == page_without_csrf(unknown)


def test_a_reset_link_expires_after_the_configured_hour(monkeypatch):
    from datetime import datetime, timedelta

    from django.contrib.auth.tokens import PasswordResetTokenGenerator

    user_with_login("late@example.com")
    Client().post("/accounts/password/reset/", {"email": "late@example.com"})
    body = OutgoingEmail.objects.get(to=["late@example.com"]).body
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/\S+)", body).group(1)
    later = datetime.now() + timedelta(minutes=61)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)

    page = Client().get(link, follow=True).content.decode()

    assert "Bad Token" in page
