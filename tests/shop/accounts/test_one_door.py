"""allauth is the one door: every other login, logout, password and email form leads there or is gone."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from shop.demo.accounts import DEMO_PASSWORD
from tests.support.checkout import checkout_to_preview
from tests.support.users import login, user_with_login

pytestmark = pytest.mark.django_db

SIDE_DOORS = [
    ("/shop/dashboard/login/?next=/shop/dashboard/", "/accounts/login/?next=/shop/dashboard/"),
    ("/cms/login/?next=/cms/", "/accounts/login/?next=/cms/"),
    ("/django-admin/login/?next=/django-admin/", "/accounts/login/?next=/django-admin/"),
    ("/cms/password_reset/", "/accounts/password/reset/"),
    ("/shop/accounts/change-password/", "/accounts/password/change/"),
    ("/django-admin/password_change/", "/accounts/password/change/"),
]


@pytest.mark.parametrize(("side_door", "allauth"), SIDE_DOORS)
def test_every_side_door_leads_to_allauth(client, side_door, allauth):
    response = client.get(side_door)
    assert response.status_code == 302 and response["Location"] == allauth


@pytest.mark.parametrize("login_url", ["/shop/dashboard/login/", "/cms/login/", "/django-admin/login/"])
def test_no_side_door_signs_anyone_in(login_url):
    user_with_login("boss@example.com", is_staff=True)
    get_user_model().objects.filter(email="boss@example.com").update(is_superuser=True)
    browser = Client()

    browser.post(login_url, {"username": "boss@example.com", "password": DEMO_PASSWORD})

    assert "_auth_user_id" not in browser.session
    assert browser.get("/shop/dashboard/").status_code == 302  # still asked to sign in


def test_unauthenticated_staff_pages_send_people_to_allauth(client):
    for page in ("/shop/dashboard/", "/cms/", "/django-admin/"):
        response = client.get(page, follow=True)
        assert response.redirect_chain[-1][0].startswith("/accounts/login/"), (page, response.redirect_chain)


def test_the_checkout_takes_no_password_and_never_says_whether_an_account_exists(client, lamp):
    user_with_login("known@example.com")
    client.post(f"/shop/basket/add/{lamp.pk}/", {"quantity": 1})

    existing = client.post(
        "/shop/checkout/", {"username": "known@example.com", "options": "existing", "password": DEMO_PASSWORD}
    )
    assert existing.status_code == 200 and "_auth_user_id" not in client.session  # "existing" is no option

    known = client.post("/shop/checkout/", {"username": "known@example.com", "options": "anonymous"})
    unknown = Client()
    unknown.post(f"/shop/basket/add/{lamp.pk}/", {"quantity": 1})
    stranger = unknown.post("/shop/checkout/", {"username": "nobody@example.com", "options": "anonymous"})
    assert (known.status_code, known["Location"]) == (stranger.status_code, stranger["Location"])

    account = client.post("/shop/checkout/", {"username": "", "options": "account"})
    assert account.status_code == 302 and account["Location"] == "/accounts/login/?next=%2Fshop%2Fcheckout%2F"


def test_a_guest_checkout_with_an_accounts_email_reaches_the_preview(client, lamp, mollie):
    user_with_login("known@example.com")

    preview = checkout_to_preview(client, lamp, guest_email="known@example.com")

    assert preview.status_code == 200


def test_the_profile_form_changes_names_but_never_the_email(client):
    user = user_with_login("me@example.com")
    login(client, "me@example.com")

    page = client.get("/shop/accounts/profile/edit/").content.decode()
    response = client.post(
        "/shop/accounts/profile/edit/", {"first_name": "Anna", "last_name": "Jansen", "email": "thief@example.com"}
    )

    assert 'name="email"' not in page
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.first_name, user.email) == ("Anna", "me@example.com")
