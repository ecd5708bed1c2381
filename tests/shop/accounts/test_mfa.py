"""Two-factor sign-in: staff and editors must set up an authenticator app; anyone may."""

import re

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group
from django.test import Client

from shop.accounts.roles import MERCHANDISERS
from shop.demo.accounts import DEMO_PASSWORD
from shop.notifications.models import OutgoingEmail
from tests.support.users import a_fresh_totp_period, login, totp_code, user_with_login

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.fixture
def editor(db):
    from django.core.management import call_command

    call_command("bootstrap_shop", verbosity=0)
    user = user_with_login("editor@example.com", totp=False)
    user.groups.add(Group.objects.get(name=MERCHANDISERS))
    return user


@pytest.mark.parametrize("staff_url", ["/shop/dashboard/", "/shop/dashboard/orders/", "/cms/", "/django-admin/"])
def test_staff_without_an_authenticator_are_sent_to_set_one_up_from_every_staff_url(staff_url):
    user_with_login("boss@example.com", is_staff=True, totp=False).__class__.objects.filter(
        email="boss@example.com"
    ).update(is_superuser=True)
    browser = Client()
    login(browser, "boss@example.com")

    response = browser.get(staff_url)

    assert response.status_code == 302 and response["Location"] == ACTIVATE


def test_an_editor_without_an_authenticator_is_sent_to_set_one_up(editor):
    browser = Client()
    login(browser, "editor@example.com")

    assert browser.get("/cms/")["Location"] == ACTIVATE


def test_a_shopper_is_not_asked_for_a_second_factor():
    user_with_login("shopper@example.com")
    browser = Client()
    login(browser, "shopper@example.com")

    assert browser.get("/shop/accounts/profile/").status_code == 200
    assert browser.get("/shop/dashboard/").status_code != 200  # and still no dashboard, as before


def reauthenticate(browser) -> None:
    """allauth asks for the password again before a second factor is added or removed."""
    response = browser.post("/accounts/reauthenticate/", {"password": DEMO_PASSWORD})
    assert response.status_code == 302, response.content[:400]


def set_up_the_authenticator_app(browser) -> str:
    """What a person does on the set-up page: scan the secret, type the app's code. Returns the secret."""
    page = browser.get(ACTIVATE)
    if page.status_code == 302:
        assert page["Location"].startswith("/accounts/reauthenticate/")  # the password again, first
        reauthenticate(browser)
        page = browser.get(ACTIVATE)
    assert page.status_code == 200
    secret = page.context["form"].secret
    assert secret in page.content.decode()  # shown for typing in, beside the QR code
    with a_fresh_totp_period():
        response = browser.post(ACTIVATE, {"code": totp_code(secret)})
    assert response.status_code == 302, response.content[:400]
    return secret


def test_staff_set_up_the_app_then_the_dashboard_opens_and_recovery_codes_are_shown():
    clerk = user_with_login("clerk@example.com", is_staff=True, totp=False, permissions=("order.view_order",))
    browser = Client()
    login(browser, "clerk@example.com")
    reauthenticate(browser)

    browser.post(ACTIVATE, {"code": "000000"})
    assert not Authenticator.objects.filter(user=clerk).exists()  # a wrong code sets up nothing

    set_up_the_authenticator_app(browser)

    assert Authenticator.objects.filter(user=clerk, type=Authenticator.Type.TOTP).exists()
    codes_page = browser.get("/accounts/2fa/recovery-codes/").content.decode()
    assert len(re.findall(r"\b[0-9a-f]{8}\b", codes_page)) == 10  # ten single-use recovery codes
    assert browser.get("/shop/dashboard/orders/").status_code == 200


def test_with_an_app_the_password_alone_signs_no_one_in():
    user_with_login("clerk@example.com", is_staff=True, permissions=("order.view_order",))
    browser = Client()

    response = browser.post("/accounts/login/", {"login": "clerk@example.com", "password": DEMO_PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
    assert "_auth_user_id" not in browser.session
    assert browser.get("/shop/dashboard/orders/").status_code == 302

    wrong = browser.post("/accounts/2fa/authenticate/", {"code": "123456" if totp_code() != "123456" else "654321"})
    assert wrong.status_code == 200 and "Incorrect code" in wrong.content.decode()
    assert "_auth_user_id" not in browser.session

    with a_fresh_totp_period():
        assert browser.post("/accounts/2fa/authenticate/", {"code": totp_code()}).status_code == 302
    assert browser.get("/shop/dashboard/orders/").status_code == 200


def test_a_recovery_code_signs_in_once():
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    clerk = user_with_login("clerk@example.com", is_staff=True, permissions=("order.view_order",))
    code = RecoveryCodes.activate(clerk).get_unused_codes()[0]

    first = Client()
    first.post("/accounts/login/", {"login": "clerk@example.com", "password": DEMO_PASSWORD})
    assert first.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    assert first.get("/shop/dashboard/orders/").status_code == 200

    second = Client()
    second.post("/accounts/login/", {"login": "clerk@example.com", "password": DEMO_PASSWORD})
    assert second.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 200
    assert "_auth_user_id" not in second.session


def test_staff_cannot_remove_their_app_but_a_shopper_can():
    clerk = user_with_login("clerk@example.com", is_staff=True)
    shopper = user_with_login("shopper@example.com", totp=True)
    for user in (clerk, shopper):
        browser = Client()
        login(browser, user.email)
        reauthenticate(browser)
        browser.post("/accounts/2fa/totp/deactivate/")

    assert Authenticator.objects.filter(user=clerk, type=Authenticator.Type.TOTP).exists()
    assert not Authenticator.objects.filter(user=shopper, type=Authenticator.Type.TOTP).exists()


def test_a_shopper_may_turn_the_app_on(django_capture_on_commit_callbacks):
    shopper = user_with_login("shopper@example.com")
    browser = Client()
    login(browser, "shopper@example.com")

    with django_capture_on_commit_callbacks(execute=True):  # allauth tells the owner after commit
        set_up_the_authenticator_app(browser)

    assert Authenticator.objects.filter(user=shopper, type=Authenticator.Type.TOTP).exists()
    told = OutgoingEmail.objects.get(to=["shopper@example.com"], subject__icontains="authenticator")
    assert "IP address" in told.body and told.html_body  # what changed, from where, in text and HTML
    browser.post("/accounts/logout/")
    response = Client().post("/accounts/login/", {"login": "shopper@example.com", "password": DEMO_PASSWORD})
    assert response["Location"] == "/accounts/2fa/authenticate/"
