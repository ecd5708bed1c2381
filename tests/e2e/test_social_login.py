"""Signing up with an OpenID Connect provider, in headless Chromium: the shop's login page → the provider → back,
signed in. The provider is the loopback simulator; every hop is a real HTTP redirect the browser follows. Once as
an admin adds a provider (a Social application row), once as `make run` offers its demo provider."""

import os
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
import requests

from shop.devtools.conf import OIDC_PROVIDER_ID, OIDC_PROVIDER_NAME
from shop.devtools.oidc import Identity
from shop.devtools.simulators import OIDC_IDENTITY
from tests.support.oidc import PROVIDER_NAME, social_app_for, start_provider
from tests.support.probe_env import database_url
from tests.support.servers import free_port
from tests.support.waiting import wait_until

ROOT = Path(__file__).resolve().parents[2]

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


# `make run`: the dev server (shop.settings.dev) starts the simulator itself and offers it by name.


@pytest.fixture
def dev_server(transactional_db, tmp_path):
    """`manage.py runserver` on shop.settings.dev, as `make run` starts it, on the test database and free ports;
    the other simulators and the task worker stay off (this walk needs none)."""
    from django.db import connection

    url, provider_url = f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"
    env = {
        **{name: value for name, value in os.environ.items() if name != "DJANGO_SETTINGS_MODULE"},
        "DJANGO_SETTINGS_MODULE": "shop.settings.dev",
        "DATABASE_URL": database_url(connection),
        "SHOP_BASE_URL": url,
        "OIDC_SIMULATOR_URL": provider_url,
        "SHOP_MOLLIE_SIMULATOR": "false",
        "SHOP_CARRIER_SIMULATOR": "false",
        "SHOP_IN_PROCESS_WORKER": "false",
        "PYTHONUNBUFFERED": "1",
    }
    log = tmp_path / "runserver.log"
    with log.open("w") as output:
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", url.removeprefix("http://"), "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until(lambda: _answers(url + "/accounts/login/"), timeout=120, what=f"runserver at {url}")
        yield SimpleNamespace(url=url, provider_url=provider_url, log=log)
    finally:
        process.terminate()
        process.wait(timeout=30)


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.ConnectionError:
        return False


def test_make_runs_dev_server_offers_the_demo_identity_provider_and_a_newcomer_signs_up_with_it(page, dev_server):
    from allauth.socialaccount.models import SocialAccount
    from playwright.sync_api import expect

    assert f"the OpenID Connect simulator at {dev_server.provider_url} has Sam Social" in dev_server.log.read_text()
    page.goto(dev_server.url + "/accounts/signup/")
    expect(page.get_by_role("link", name=OIDC_PROVIDER_NAME)).to_be_visible()

    page.goto(dev_server.url + "/accounts/login/")
    page.get_by_role("link", name=OIDC_PROVIDER_NAME).click()
    expect(page.get_by_role("heading", name=f"Sign In Via {OIDC_PROVIDER_NAME}")).to_be_visible()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_text(f"Successfully signed in as {OIDC_IDENTITY.email}")).to_be_visible()
    expect(page).to_have_url(re.compile(r"^" + re.escape(dev_server.url) + r"/shop/accounts/"))
    account = SocialAccount.objects.get(provider=OIDC_PROVIDER_ID, uid=OIDC_IDENTITY.sub)
    assert account.user.email == OIDC_IDENTITY.email
    assert account.user.emailaddress_set.get().verified  # the provider vouched for it: no confirmation email
