"""Accounts as people use them, in headless Chromium: sign up and verify, keep me signed in, profile, email
change with re-verification, password reset by a single-use link, an authenticator app, sessions."""

import re
import time

import pytest
from playwright.sync_api import expect

from shop.notifications.models import OutgoingEmail
from tests.support.users import a_fresh_totp_period, totp_code, user_with_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "correct-horse-battery-7"


@pytest.fixture
def shop(transactional_db, live_server, settings, screenshot_on_failure):
    from django.contrib.sites.models import Site

    from shop.bootstrap import django_site_ensure

    settings.SHOP_BASE_URL = live_server.url  # links in emails lead to this server
    django_site_ensure()  # a transactional test before may have flushed the site away
    Site.objects.clear_cache()
    return live_server.url


def link_in_latest_email_to(address: str, path: str) -> str:
    """The link to `path…` in the newest email to `address` (the outbox stores each email as it is sent)."""
    body = OutgoingEmail.objects.filter(to=[address]).latest("pk").body
    return re.search(rf"https?://\S+{re.escape(path)}\S*", body).group(0)


def sign_in(page, shop: str, email: str, password: str, *, keep: bool = False) -> None:
    page.goto(shop + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    if keep:
        page.get_by_label("Keep me signed in").check()
    page.get_by_role("button", name="Sign In").click()


def session_cookie(page) -> dict:
    return next(c for c in page.context.cookies() if c["name"] == "sessionid")


def test_sign_up_verify_keep_signed_in_edit_profile_change_email_and_sign_out(page, shop):
    page.goto(shop + "/accounts/signup/")
    page.get_by_label("Email").fill("eva@example.com")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    expect(page.get_by_role("heading", name="Verify Your Email Address")).to_be_visible()

    page.goto(link_in_latest_email_to("eva@example.com", "/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("You have confirmed eva@example.com")).to_be_visible()
    page.goto(shop + "/accounts/logout/")
    page.get_by_role("button", name="Sign Out").click()

    sign_in(page, shop, "eva@example.com", PASSWORD, keep=True)
    expect(page.get_by_text("Successfully signed in as eva@example.com")).to_be_visible()
    assert session_cookie(page)["expires"] > time.time() + 13 * 24 * 3600  # kept for 14 days

    page.goto(shop + "/shop/accounts/profile/edit/")
    page.get_by_label("First name").fill("Eva")
    page.get_by_label("Last name").fill("Bakker")
    page.get_by_label("Phone number").fill("+31 6 12345678")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("cell", name="Eva Bakker")).to_be_visible()
    expect(page.get_by_role("cell", name="+31612345678")).to_be_visible()

    page.get_by_role("link", name="Change", exact=True).click()
    page.get_by_label("Change to").fill("eva.bakker@example.com")
    page.get_by_role("button", name="Change Email").click()
    page.get_by_label("Password").fill(PASSWORD)  # the password again before the address changes
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_text("Your email address is still pending verification")).to_be_visible()

    page.goto(link_in_latest_email_to("eva.bakker@example.com", "/accounts/confirm-email/"))
    page.get_by_role("button", name="Confirm").click()
    page.goto(shop + "/shop/accounts/profile/")
    expect(page.get_by_role("cell", name=re.compile("eva.bakker@example.com"))).to_be_visible()

    page.goto(shop + "/accounts/logout/")
    page.get_by_role("button", name="Sign Out").click()
    page.goto(shop + "/shop/accounts/profile/")
    expect(page).to_have_url(re.compile(r"/accounts/login/\?next="))


def test_a_forgotten_password_is_reset_by_a_link_that_works_once(page, shop):
    user_with_login("forgetful@example.com")

    page.goto(shop + "/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("forgetful@example.com")
    page.get_by_role("button", name="Reset My Password").click()
    expect(page.get_by_text("We have sent you an email")).to_be_visible()

    link = link_in_latest_email_to("forgetful@example.com", "/accounts/password/reset/key/")
    page.goto(link)
    page.get_by_label("New Password", exact=True).fill(PASSWORD)
    page.get_by_label("New Password (again)").fill(PASSWORD)
    page.get_by_role("button", name="Change Password").click()
    expect(page.get_by_text("Your password is now changed")).to_be_visible()

    page.goto(link)  # the same link, a second time
    expect(page.get_by_role("heading", name="Bad Token")).to_be_visible()

    sign_in(page, shop, "forgetful@example.com", PASSWORD)
    expect(page.get_by_text("Successfully signed in as forgetful@example.com")).to_be_visible()


def test_a_shopper_turns_on_an_authenticator_app_and_signs_in_with_its_code(page, shop):
    from shop.demo.accounts import DEMO_PASSWORD

    user_with_login("careful@example.com")
    sign_in(page, shop, "careful@example.com", DEMO_PASSWORD)

    page.goto(shop + "/shop/accounts/profile/")
    page.get_by_role("link", name="Two-factor authentication").click()
    page.get_by_role("link", name="Activate").click()
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Confirm").click()
    secret = page.locator("#authenticator_secret").input_value()
    with a_fresh_totp_period():
        page.get_by_label("Authenticator code").fill(totp_code(secret))
        page.get_by_role("button", name="Activate").click()
        expect(page.get_by_role("heading", name="Recovery Codes")).to_be_visible()

    page.goto(shop + "/accounts/logout/")
    page.get_by_role("button", name="Sign Out").click()
    sign_in(page, shop, "careful@example.com", DEMO_PASSWORD)
    expect(page.get_by_role("heading", name="Two-Factor Authentication")).to_be_visible()
    with a_fresh_totp_period():
        page.get_by_placeholder("Code").fill(totp_code(secret))
        page.get_by_role("button", name="Sign In").click()
        expect(page.get_by_text("Successfully signed in as careful@example.com")).to_be_visible()


def test_a_shopper_sees_where_they_are_signed_in_and_signs_out_another_browser(browser, page, shop):
    from shop.demo.accounts import DEMO_PASSWORD

    user_with_login("traveller@example.com")
    other = browser.new_context(
        user_agent="Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) "
        "AppleWebKit/605.1.15 Version/18.0 Mobile/15E148 Safari/604.1"
    )
    phone = other.new_page()
    try:
        sign_in(phone, shop, "traveller@example.com", DEMO_PASSWORD)
        expect(phone.get_by_text("Successfully signed in")).to_be_visible()
        sign_in(page, shop, "traveller@example.com", DEMO_PASSWORD)

        page.goto(shop + "/shop/accounts/profile/")
        page.get_by_role("link", name="Where you are signed in").click()
        row = page.locator("tr.session").filter(has_text="Mobile Safari on iOS (iPhone)")
        expect(page.locator("tr.session")).to_have_count(2)
        row.get_by_role("button", name="Sign out").click()
        expect(page.get_by_text("That session is signed out.")).to_be_visible()
        expect(page.locator("tr.session")).to_have_count(1)

        phone.goto(shop + "/shop/accounts/orders/")
        expect(phone).to_have_url(re.compile(r"/accounts/login/"))
    finally:
        other.close()
