"""Signing up with an OpenID Connect provider, in headless Chromium: the shop's login page → the provider → back,
signed in. The provider is the loopback simulator; every hop is a real HTTP redirect the browser follows."""

import re

import pytest

from shop.devtools.oidc import Identity
from tests.support.oidc import PROVIDER_NAME, social_app_for, start_provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def oidc_provider(transactional_db, live_server):
    provider = start_provider(live_server.url)
    social_app_for(provider)
    yield provider
    provider.stop()


def test_a_shopper_signs_up_with_the_provider_from_the_login_page(page, live_server, oidc_provider):
    from allauth.socialaccount.models import SocialAccount
    from playwright.sync_api import expect

    oidc_provider.sign_in(Identity(sub="eva-7", email="eva@example.com", email_verified=True, name="Eva Bakker"))

    page.goto(live_server.url + "/accounts/login/")
    page.get_by_role("link", name=PROVIDER_NAME).click()
    expect(page.get_by_role("heading", name=f"Sign In Via {PROVIDER_NAME}")).to_be_visible()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_text("Successfully signed in as eva@example.com")).to_be_visible()
    expect(page).to_have_url(re.compile(r"^" + re.escape(live_server.url) + r"/shop/accounts/"))
    hops = [request["path"] for request in oidc_provider.requests]
    assert [hop for hop in hops if hop != "/.well-known/openid-configuration"] == ["/authorize", "/token", "/userinfo"]
    assert SocialAccount.objects.get(uid="eva-7").user.email == "eva@example.com"
