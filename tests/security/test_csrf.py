"""Cross-site request forgery. Three views take a post without a CSRF token, because cached pages show their forms
without one: adding to the basket, the back-in-stock alert and the language (shop/pagecache/posts.py). They take it
only when the browser says the post comes from the shop's own origin; a form on another site is refused with a 403
page that says so, token or not. Every other form still needs its token, exactly as Django checks it."""

import json

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from oscar.core.loading import get_model

from tests.support.users import DEMO_PASSWORD, user_with_login

ProductAlert = get_model("customer", "ProductAlert")
Voucher = get_model("voucher", "Voucher")

pytestmark = pytest.mark.django_db

FROM_THE_SHOP = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}
# What a browser sends with a form that another site's page posts to the shop.
FROM_ELSEWHERE = {
    "from another site": {"HTTP_ORIGIN": "https://evil.example", "HTTP_SEC_FETCH_SITE": "cross-site"},
    "from a sibling site": {"HTTP_ORIGIN": "http://evil.testserver", "HTTP_SEC_FETCH_SITE": "same-site"},
    "from a page with no origin (sandboxed frame, data: URL)": {
        "HTTP_ORIGIN": "null",
        "HTTP_SEC_FETCH_SITE": "cross-site",
    },
    "from the plain-http copy of an https shop": {"HTTP_ORIGIN": "https://testserver"},
    "saying same-origin with a foreign Origin": {
        "HTTP_ORIGIN": "https://evil.example",
        "HTTP_SEC_FETCH_SITE": "same-origin",
    },
}


def the_views_taking_posts_without_a_token(patterns=None, namespace="") -> set[str]:
    found = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found |= the_views_taking_posts_without_a_token(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and getattr(pattern.callback, "same_origin_post", False):
            found.add(f"{namespace}{pattern.name}")
    return found


def test_only_the_three_forms_that_cached_pages_show_are_taken_without_a_token():
    assert the_views_taking_posts_without_a_token() == {"basket:add", "customer:alert-create", "set_language"}


def basket_items(client) -> int:
    return json.loads(client.get("/shop/visitor/").content)["basket"]["numItems"]


@pytest.mark.parametrize("headers", FROM_ELSEWHERE.values(), ids=FROM_ELSEWHERE.keys())
def test_a_form_from_another_site_is_refused_with_a_403_that_says_so(lamp, headers):
    browser = Client(enforce_csrf_checks=True)
    attempts = [
        (f"/shop/basket/add/{lamp.pk}/", {"quantity": 1}),
        (f"/shop/accounts/alerts/create/{lamp.pk}/", {"email": "victim@example.com"}),
        ("/i18n/setlang/", {"language": "nl", "next": "/"}),
    ]
    for url, data in attempts:
        response = browser.post(url, {**data, "csrfmiddlewaretoken": ""}, **headers)

        assert response.status_code == 403, url
        html = response.content.decode()
        assert "Form not accepted" in html and "Nothing has changed" in html, url
        assert "This form was sent from another website" in html, url
    assert basket_items(browser) == 0
    assert not ProductAlert.objects.exists()
    assert "django_language" not in browser.cookies and "shop_noscript" not in browser.cookies


def test_a_form_from_another_site_is_refused_even_with_a_valid_token(lamp):
    """The Origin check comes first: a token the attacker somehow had would not help."""
    browser = Client(enforce_csrf_checks=True)
    token = json.loads(browser.get("/shop/visitor/").content)["csrfToken"]

    response = browser.post(
        f"/shop/basket/add/{lamp.pk}/",
        {"quantity": 1, "csrfmiddlewaretoken": token},
        **FROM_ELSEWHERE["from another site"],
    )

    assert response.status_code == 403
    assert basket_items(browser) == 0


def test_from_the_shops_own_page_the_same_form_is_taken(lamp):
    browser = Client(enforce_csrf_checks=True)

    response = browser.post(f"/shop/basket/add/{lamp.pk}/", {"quantity": 1, "csrfmiddlewaretoken": ""}, **FROM_THE_SHOP)

    assert response.status_code == 302
    assert basket_items(browser) == 1


@pytest.mark.parametrize("headers", [FROM_THE_SHOP, {}], ids=["from the shop's own page", "with no origin headers"])
def test_every_other_form_still_needs_its_token(lamp, headers):
    """Signing in, the basket's voucher form, checkout: a post without its token, even from the shop's own page, is
    not acted on; the shopper is asked to confirm (a 200 with a button), nothing more."""
    user_with_login("reader@example.com")
    browser = Client(enforce_csrf_checks=True)
    browser.post(f"/shop/basket/add/{lamp.pk}/", {"quantity": 1, "csrfmiddlewaretoken": ""}, **FROM_THE_SHOP)
    attempts = [
        ("/accounts/login/", {"login": "reader@example.com", "password": DEMO_PASSWORD}),
        ("/shop/basket/vouchers/add/", {"code": "ANYCODE"}),
        ("/accounts/signup/", {"email": "new@example.com", "password1": DEMO_PASSWORD, "password2": DEMO_PASSWORD}),
        ("/shop/checkout/", {"username": "guest@example.com", "options": "anonymous"}),
    ]
    for url, data in attempts:
        response = browser.post(url, {**data, "csrfmiddlewaretoken": ""}, **headers)

        assert response.status_code == 200, url
        html = response.content.decode()
        assert "Please confirm" in html and "Nothing has been done yet" in html, url
    assert "_auth_user_id" not in browser.session
    assert not get_model("accounts", "User").objects.filter(email="new@example.com").exists()
    assert "guest@example.com" not in json.dumps(dict(browser.session))
