"""The profile: names, phone and email preferences; a copy of one's data; deleting the account."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from shop.demo.accounts import DEMO_PASSWORD
from shop.notifications.models import OutgoingEmail
from shop.orders.services import order_status_move
from tests.support.checkout import basket_with, place_pending, product_with_stock
from tests.support.users import login, user_with_login

pytestmark = pytest.mark.django_db
User = get_user_model()
UserAddress = get_model("address", "UserAddress")
Country = get_model("address", "Country")


@pytest.fixture
def shopper():
    user = user_with_login("shopper@example.com")
    netherlands, _ = Country.objects.get_or_create(
        iso_3166_1_a2="NL", defaults={"name": "Netherlands", "printable_name": "Netherlands"}
    )
    UserAddress.objects.create(
        user=user,
        first_name="Anna",
        last_name="de Vries",
        line1="Damrak 1",
        line4="Amsterdam",
        postcode="1012 LG",
        country=netherlands,
    )
    return user


def order_for(user, status: str):
    order = place_pending(basket_with(product_with_stock(title="Lamp")), user=user, email=user.email).order
    order_status_move(order=order, status=status)
    return order


def signed_in(email: str) -> Client:
    browser = Client()
    login(browser, email)
    return browser


def test_names_phone_and_delivery_updates_are_edited_and_shown(shopper):
    browser = signed_in("shopper@example.com")

    response = browser.post(
        "/shop/accounts/profile/edit/",
        {"first_name": "Anna", "last_name": "de Vries", "phone_number": "+31 20 123 4567"},
    )

    assert response.status_code == 302
    shopper.refresh_from_db()
    assert (str(shopper.phone_number), shopper.delivery_updates_by_email) == ("+31201234567", False)
    page = browser.get("/shop/accounts/profile/").content.decode()
    assert "+31201234567" in page and "Anna de Vries" in page


def test_a_bad_phone_number_is_refused_with_a_reason(shopper):
    response = signed_in("shopper@example.com").post(
        "/shop/accounts/profile/edit/", {"first_name": "Anna", "last_name": "", "phone_number": "call me"}
    )

    assert response.status_code == 200 and "Enter a valid phone number" in response.content.decode()
    shopper.refresh_from_db()
    assert shopper.phone_number == ""


def test_my_data_is_a_json_file_of_everything_kept_after_the_password_again(shopper):
    order = order_for(shopper, "Delivered")
    browser = signed_in("shopper@example.com")

    first = browser.get("/accounts/my-data/")
    assert first.status_code == 302 and first["Location"].startswith("/accounts/reauthenticate/")
    response = browser.post(first["Location"], {"password": DEMO_PASSWORD}, follow=True)

    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    data = json.loads(response.content)
    assert data["profile"]["email"] == "shopper@example.com"
    assert [a["postcode"] for a in data["addresses"]] == ["1012 LG"]
    assert [o["number"] for o in data["orders"]] == [order.number]
    assert data["orders"][0]["lines"][0]["title"] == "Lamp"
    assert data["sessions"] and data["email_addresses"] == [
        {"email": "shopper@example.com", "verified": True, "primary": True}
    ]
    assert "password" not in json.dumps(data)


def test_my_data_costs_the_same_queries_for_one_order_or_ten(shopper):
    from shop.accounts.personal_data import personal_data_export

    order_for(shopper, "Delivered")
    with CaptureQueriesContext(connection) as one:
        personal_data_export(shopper)
    for _ in range(9):
        order_for(shopper, "Delivered")
    with CaptureQueriesContext(connection) as ten:
        personal_data_export(shopper)

    assert len(ten) == len(one)


def test_deleting_the_account_removes_personal_data_and_keeps_orders_unlinked(shopper):
    order = order_for(shopper, "Delivered")
    other = signed_in("shopper@example.com")
    browser = signed_in("shopper@example.com")
    Client().post("/accounts/password/reset/", {"email": "shopper@example.com"})  # an email we keep a copy of
    assert OutgoingEmail.objects.filter(to=["shopper@example.com"]).exists()

    response = browser.post("/shop/accounts/profile/delete/", {"password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert not User.objects.filter(email="shopper@example.com").exists()
    assert not UserAddress.objects.exists() and not EmailAddress.objects.exists()
    assert not OutgoingEmail.objects.filter(to=["shopper@example.com"]).exists()
    order.refresh_from_db()
    assert order.user_id is None and order.total_incl_tax > 0  # kept for the books
    assert other.get("/shop/accounts/orders/").status_code == 302  # every session is over
    assert browser.get("/shop/accounts/orders/").status_code == 302


def test_an_account_with_an_order_in_progress_is_not_deleted(shopper):
    order = order_for(shopper, "Shipped")
    browser = signed_in("shopper@example.com")

    response = browser.post("/shop/accounts/profile/delete/", {"password": DEMO_PASSWORD})

    assert response.status_code == 200
    assert f"Your orders {order.number} are still in progress" in response.content.decode()
    assert User.objects.filter(pk=shopper.pk).exists()


def test_the_wrong_password_deletes_nothing(shopper):
    response = signed_in("shopper@example.com").post("/shop/accounts/profile/delete/", {"password": "nope"})

    assert response.status_code == 200
    assert User.objects.filter(pk=shopper.pk).exists()


def test_no_one_sees_or_changes_anothers_addresses(shopper):
    address = UserAddress.objects.get(user=shopper)
    user_with_login("mallory@example.com")
    mallory = signed_in("mallory@example.com")

    assert mallory.get(f"/shop/accounts/addresses/{address.pk}/").status_code == 404
    assert mallory.post(f"/shop/accounts/addresses/{address.pk}/", {"line1": "Elsewhere 1"}).status_code == 404
    assert mallory.post(f"/shop/accounts/addresses/{address.pk}/delete/").status_code == 404
    assert "Damrak" not in mallory.get("/shop/accounts/addresses/").content.decode()
    assert "Damrak" not in mallory.get("/shop/accounts/profile/").content.decode()
    address.refresh_from_db()
    assert address.line1 == "Damrak 1"
