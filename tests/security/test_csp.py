"""The Content-Security-Policy headers (shop/accounts/content_policy.py): the storefront's strict policy with a
nonce per answer (cached pages too), Mollie allowed as a form target, the staff areas' own policy, and the
report-only switch. tests/e2e/test_csp.py proves in Chromium that the shop works under them."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from oscar.core.loading import get_model

from tests.support.users import login, user_with_login

Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
HEADER = "Content-Security-Policy"
REPORT_ONLY_HEADER = "Content-Security-Policy-Report-Only"


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        parsed[name] = sources
    return parsed


def inline_scripts_and_styles(html: str) -> list[str]:
    """The opening tags of <script> elements without src (JSON-LD data blocks aside) and of <style> elements."""
    tags = re.findall(r"<script\b[^>]*>|<style\b[^>]*>", html)
    return [tag for tag in tags if "src=" not in tag and "application/ld+json" not in tag]


@pytest.mark.parametrize("path", ["/", "/shop/catalogue/", "/shop/basket/", "/accounts/login/", "/about/"])
def test_storefront_pages_carry_the_strict_policy_and_nonce_their_inline_code(client, demo_shop, path):
    response = client.get(path)

    assert response.status_code == 200
    policy = directives(response[HEADER])
    nonce = re.fullmatch(r"'nonce-([A-Za-z0-9+/=]+)'", policy["script-src"][1]).group(1)
    assert policy["script-src"] == ["'self'", f"'nonce-{nonce}'"]  # no 'unsafe-inline', no other host
    assert policy["style-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert policy["default-src"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"] and policy["base-uri"] == ["'self'"]
    assert policy["img-src"][:2] == ["'self'", "data:"]
    html = response.content.decode()
    inline = inline_scripts_and_styles(html)
    assert inline and all(f'nonce="{nonce}"' in tag for tag in inline), inline
    assert not re.search(r"\son(click|load|error|submit|change)=\"(?!window\.print\(\)|(window\.)?history)", html)
    assert "googleapis.com" not in html  # jQuery is the shop's own file


def test_forms_may_post_to_the_shop_and_to_mollie_and_the_simulator_from_the_settings(client, demo_shop, settings):
    settings.MOLLIE_API_ENDPOINT = "http://127.0.0.1:8123"

    policy = directives(client.get("/shop/basket/")[HEADER])

    assert policy["form-action"] == ["'self'", "https://www.mollie.com", "http://127.0.0.1:8123"]
    assert policy["img-src"] == ["'self'", "data:", "https://www.mollie.com", "http://127.0.0.1:8123"]  # method icons


def test_a_page_from_the_page_cache_gets_a_fresh_nonce_in_header_and_html(demo_shop):
    product = Product.objects.browsable().order_by("pk").first()
    answers = [Client().get(product.get_absolute_url()) for _ in range(2)]

    assert [answer["X-Page-Cache"] for answer in answers] == ["miss", "hit"]
    nonces = []
    for answer in answers:
        nonce = re.search(r"'nonce-([^']+)'", answer[HEADER]).group(1)
        assert all(f'nonce="{nonce}"' in tag for tag in inline_scripts_and_styles(answer.content.decode()))
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


@pytest.mark.parametrize("path", ["/shop/dashboard/", "/cms/", "/django-admin/"])
def test_staff_areas_carry_their_own_looser_policy(client, demo_shop, path):
    user_with_login("boss@example.com", is_staff=True, totp=True)
    user = get_model("accounts", "User").objects.get(email="boss@example.com")
    user.is_superuser = True
    user.save()
    login(client, "boss@example.com")

    response = client.get(path)

    assert response.status_code == 200
    policy = directives(response[HEADER])
    assert policy["script-src"] == ["'self'", "'unsafe-inline'"]
    assert policy["frame-ancestors"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["default-src"] == ["'self'"] and policy["form-action"][0] == "'self'"


def test_report_only_sends_the_same_policies_without_enforcing_them(client, demo_shop, settings):
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = settings.CONTENT_SECURITY_POLICY
    del settings.CONTENT_SECURITY_POLICY

    response = client.get("/")

    assert HEADER not in response
    policy = directives(response[REPORT_ONLY_HEADER])
    assert policy["frame-ancestors"] == ["'none'"] and policy["script-src"][0] == "'self'"


@pytest.mark.parametrize(
    ("value", "setting"), [("true", "CONTENT_SECURITY_POLICY_REPORT_ONLY"), ("", "CONTENT_SECURITY_POLICY")]
)
def test_the_csp_report_only_variable_chooses_the_mode(value, setting):
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "shop.settings.test", "CSP_REPORT_ONLY": value}
    script = (
        "from django.conf import settings; "
        "print(sorted(name for name in ('CONTENT_SECURITY_POLICY', 'CONTENT_SECURITY_POLICY_REPORT_ONLY') "
        "if hasattr(settings, name)))"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True)

    assert done.stdout.strip() == str([setting]), done.stderr[-2000:]


def test_identity_pages_may_post_on_to_the_configured_sign_in_providers(client, demo_shop):
    from allauth.socialaccount.models import SocialApp
    from django.contrib.sites.models import Site

    acme = SocialApp.objects.create(
        provider="openid_connect",
        provider_id="acme",
        name="Acme ID",
        client_id="shop",
        secret="not-secret",
        settings={"server_url": "https://id.acme.example/realms/shop"},
    )
    google = SocialApp.objects.create(provider="google", name="Google", client_id="shop", secret="not-secret")
    for app in (acme, google):
        app.sites.add(Site.objects.get_current())  # an application is offered on the sites it lists

    on_login = directives(client.get("/accounts/login/")[HEADER])["form-action"]
    on_basket = directives(client.get("/shop/basket/")[HEADER])["form-action"]

    assert "https://id.acme.example" in on_login and "https://accounts.google.com" in on_login
    assert "https://id.acme.example" not in on_basket and "https://accounts.google.com" not in on_basket
