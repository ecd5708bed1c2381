"""Changing an email address goes through allauth only: password again, then the new address's link."""

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.test import Client

from shop.notifications.models import OutgoingEmail
from tests.support.users import ask_for_a_new_address, link_sent_to, login, user_with_login

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_a_new_address_replaces_the_old_only_after_its_link_is_followed():
    shopper = user_with_login("old@example.com")
    browser = Client()
    login(browser, "old@example.com")

    ask_for_a_new_address(browser, "New@Example.com")

    shopper.refresh_from_db()
    assert shopper.email == "old@example.com"  # nothing changes before the new address is proven
    link = link_sent_to("new@example.com")
    browser.post(link)

    shopper.refresh_from_db()
    assert shopper.email == "new@example.com"
    assert list(EmailAddress.objects.filter(user=shopper).values_list("email", "verified", "primary")) == [
        ("new@example.com", True, True)
    ]
    assert OutgoingEmail.objects.filter(to=["old@example.com"], subject__icontains="email").exists()  # told


def test_no_one_takes_an_address_another_account_uses():
    user_with_login("alice@example.com")
    bob = user_with_login("bob@example.com")
    browser = Client()
    login(browser, "bob@example.com")

    ask_for_a_new_address(browser, "alice@example.com")

    bob.refresh_from_db()
    assert bob.email == "bob@example.com"
    assert not EmailAddress.objects.filter(user=bob, email="alice@example.com", verified=True).exists()
    alice = Client()
    login(alice, "alice@example.com")  # Alice still signs in as herself
    assert alice.get("/shop/accounts/profile/").context["user"].email == "alice@example.com"


def test_oscar_profile_form_cannot_change_the_email():
    shopper = user_with_login("keep@example.com")
    browser = Client()
    login(browser, "keep@example.com")

    browser.post("/shop/accounts/profile/edit/", {"first_name": "Kim", "last_name": "Doe", "email": "x@example.com"})

    shopper.refresh_from_db()
    assert (shopper.first_name, shopper.email) == ("Kim", "keep@example.com")


def test_users_made_outside_allauth_with_capitals_can_be_found_and_are_not_signed_up_twice(client):
    User.objects.create_superuser(email="Admin@Example.COM", password="x" * 16)

    response = client.post(
        "/accounts/signup/",
        {"email": "admin@example.com", "password1": "correct-horse-battery", "password2": "correct-horse-battery"},
    )

    assert response.status_code == 302  # the same answer as any sign-up; the owner is emailed instead
    assert User.objects.filter(email__iexact="admin@example.com").count() == 1
    assert User.objects.get().email == "admin@example.com"
    client.post("/accounts/password/reset/", {"email": "ADMIN@example.com"})
    reset = OutgoingEmail.objects.filter(to=["admin@example.com"]).latest("pk")
    assert "/accounts/password/reset/key/" in reset.body  # a reset link, not "no account with this address"
