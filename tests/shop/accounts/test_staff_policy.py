"""The staff policy: one rule says who is staff-like (dashboard, CMS or admin access); such a user needs a second
factor before any staff privilege works, wherever the URL is, and is signed out when idle, wherever they are."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shop.accounts.roles import MERCHANDISERS
from tests.support.checkout import basket_with, place_pending, product_with_stock
from tests.support.content import document
from tests.support.users import login, user_with_login, with_totp

pytestmark = pytest.mark.django_db

ACTIVATE = "/accounts/2fa/totp/activate/"


def superuser(email: str, *, totp: bool):
    user = user_with_login(email, is_staff=True, totp=totp)
    get_user_model().objects.filter(pk=user.pk).update(is_superuser=True)
    return user


@pytest.mark.parametrize("staff_url", ["/shop/dashboard/", "/cms/", "/django-admin/"])
def test_a_prefix_in_script_name_does_not_skip_the_second_factor(staff_url):
    """Behind a proxy that mounts the shop under a prefix, the path Django routes is the one checked."""
    superuser("boss@example.com", totp=False)
    browser = Client()
    login(browser, "boss@example.com")

    response = browser.get(staff_url, SCRIPT_NAME="/prefix")

    assert response.status_code == 302 and response["Location"].endswith(ACTIVATE)


def test_the_editors_frame_rule_follows_the_routed_path_not_the_prefix():
    browser = Client()

    assert browser.get("/shop/order-lookup/", SCRIPT_NAME="/cms")["X-Frame-Options"] == "DENY"
    assert browser.get("/cms/", SCRIPT_NAME="/prefix")["X-Frame-Options"] == "SAMEORIGIN"


def test_a_superuser_without_a_second_factor_opens_no_customers_thank_you_page():
    """Oscar shows a superuser any order's thank-you page by number: only with the second factor here."""
    product = product_with_stock(title="Kettle", price="39.95")
    order = place_pending(basket_with(product), email="customer@example.com").order
    superuser("boss@example.com", totp=False)
    superuser("chief@example.com", totp=True)
    before, after = Client(), Client()
    login(before, "boss@example.com")
    login(after, "chief@example.com")
    url = f"/shop/checkout/thank-you/?order_number={order.number}"

    refused = before.get(url)
    assert refused.status_code == 302 and "customer@example.com" not in refused.content.decode()
    shown = after.get(url)
    assert shown.status_code == 200 and order.number in shown.content.decode()


@pytest.fixture
def clock(monkeypatch):
    """Moves Django's clock (sessions, the idle rule) forward from now; the authenticator's codes keep real time."""
    start = timezone.now()

    def at(minutes: float) -> None:
        monkeypatch.setattr(timezone, "now", lambda: start + timedelta(minutes=minutes))

    return at


@pytest.fixture
def merchandiser(db):
    """A Wagtail editor who is not `is_staff`: CMS access through the Merchandisers group only."""
    call_command("bootstrap_shop", verbosity=0)

    def make(email: str = "editor@example.com", *, is_staff: bool = False) -> Client:
        user = user_with_login(email, is_staff=is_staff, totp=True)
        user.groups.add(Group.objects.get(name=MERCHANDISERS))
        browser = Client()
        login(browser, email)
        return browser

    return make


def signed_in_to_the_cms(browser) -> bool:
    response = browser.get("/cms/")
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")
        return False
    assert response.status_code == 200
    return True


def test_an_editor_without_is_staff_is_signed_out_when_idle(settings, clock, merchandiser, caplog):
    settings.SHOP_STAFF_IDLE_MINUTES = 30
    editor = merchandiser()
    shopper = Client()
    user_with_login("shopper@example.com")
    login(shopper, "shopper@example.com")
    assert signed_in_to_the_cms(editor)
    stored = editor.session  # as "keep me signed in" stores it: the store alone would keep it two weeks
    stored.set_expiry(14 * 24 * 60 * 60)
    stored.save()

    clock(31)

    assert not signed_in_to_the_cms(editor)
    assert "sign-out-idle" in caplog.text  # the idle rule ended it, not the store
    assert shopper.get("/shop/accounts/orders/").status_code == 200  # shoppers keep their session


def test_each_request_of_the_editors_own_starts_the_idle_period_again(settings, clock, merchandiser):
    settings.SHOP_STAFF_IDLE_MINUTES = 30
    editor = merchandiser()

    for minutes in (20, 40, 60):
        clock(minutes)
        assert signed_in_to_the_cms(editor), minutes


@pytest.mark.parametrize("is_staff", [False, True])
def test_the_editors_ping_does_not_keep_an_open_tab_signed_in(settings, clock, merchandiser, is_staff):
    """Wagtail's editor pings the server every few seconds while a tab is open: that is not the editor."""
    settings.SHOP_STAFF_IDLE_MINUTES = 30
    editor = merchandiser(is_staff=is_staff)
    manual = document("Manual")
    ping = reverse("wagtailadmin_editing_sessions:ping", args=("wagtaildocs", "document", manual.pk, 0))
    assert signed_in_to_the_cms(editor)

    for minutes in (10, 20, 29):
        clock(minutes)
        assert editor.post(ping).status_code == 200, minutes  # the tab is signed in and pinging
    clock(31)
    editor.post(ping)

    assert not signed_in_to_the_cms(editor)


def test_staff_who_set_up_the_app_later_get_their_privileges_then():
    """The rule counts the authenticator app when the request comes, not when the person signed in."""
    clerk = user_with_login("clerk@example.com", is_staff=True, totp=False, permissions=("order.view_order",))
    browser = Client()
    login(browser, "clerk@example.com")
    assert browser.get("/shop/dashboard/orders/")["Location"] == ACTIVATE

    with_totp(clerk)

    assert browser.get("/shop/dashboard/orders/").status_code == 200
