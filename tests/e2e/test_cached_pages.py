"""An anonymous shopper on a cached product page, in headless Chromium: the page is the same for everyone, and
visitor.js fills in the shopper's basket and messages (shop/pagecache). Without JavaScript the page's form still
works in one step, since Chromium says that the post comes from the shop's own page; a form on another site does not
(shop/pagecache/posts.py)."""

import logging
import re

import pytest
from oscar.core.loading import get_model

from shop.devtools.loopback import LoopbackServer, Reply

Line = get_model("basket", "Line")
Product = get_model("catalogue", "Product")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
ADD_BUTTON = re.compile(r"Add to (cart|basket)")


def product_in_stock():
    return Product.objects.browsable().filter(stockrecords__num_in_stock__gt=2).order_by("pk").first()


def test_a_shopper_adds_to_the_basket_from_a_cached_product_page(page, live_demo_shop, screenshot_on_failure):
    from playwright.sync_api import expect

    product = product_in_stock()
    url = live_demo_shop.url + product.get_absolute_url()
    page.request.get(url)  # someone else visited first: the page is cached

    response = page.goto(url)
    assert response.headers["x-page-cache"] == "hit"
    expect(page.locator("h1")).to_have_text(product.get_title())
    token = page.locator('#add_to_basket_form input[name="csrfmiddlewaretoken"]')
    expect(token).to_have_value(re.compile(r".+"))  # filled in by visitor.js

    page.get_by_role("button", name=ADD_BUTTON).click()

    expect(page.get_by_text(re.compile(rf"{re.escape(product.get_title())} has been added to your"))).to_be_visible()
    expect(page.locator(".basket-mini [data-visitor-basket-count]")).to_have_text("1")
    expect(page.locator(".basket-mini [data-visitor-basket-total]")).to_contain_text("€")
    assert page.request.get(url).headers["x-page-cache"] == "hit"  # the shopper's basket is not in the page


@pytest.fixture
def page_without_javascript(browser, transactional_db):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    documents = []  # every page the tab loads: (method, path, status)
    page.on(
        "response",
        lambda response: (
            response.request.is_navigation_request()
            and documents.append(
                (response.request.method, re.sub(r"^https?://[^/]+", "", response.url), response.status)
            )
        ),
    )
    page.documents = documents
    yield page
    context.close()


def test_without_javascript_a_shopper_adds_to_the_basket_from_a_cached_page_in_one_step(
    page_without_javascript, live_demo_shop
):
    from playwright.sync_api import expect

    page = page_without_javascript
    product = product_in_stock()
    path = product.get_absolute_url()
    page.request.get(live_demo_shop.url + path)  # someone else visited first: the page is cached
    assert page.goto(live_demo_shop.url + path).headers["x-page-cache"] == "hit"
    expect(page.locator('#add_to_basket_form input[name="csrfmiddlewaretoken"]')).to_have_value("")  # no script

    page.get_by_role("button", name=ADD_BUTTON).click()

    message = page.locator("#messages .alert").filter(has_text=re.compile(r"has been added to your (cart|basket)"))
    expect(message).to_contain_text(product.get_title())
    expect(page.locator(".basket-mini")).to_contain_text("€")  # the header's basket, rendered for this browser
    add = f"/shop/basket/add/{product.pk}/"
    assert page.documents[-2:] == [("POST", add, 302), ("GET", path, 200)]

    page.goto(live_demo_shop.url + "/shop/basket/")
    expect(page.get_by_role("link", name=product.get_title()).first).to_be_visible()
    assert Line.objects.get().product == product


@pytest.fixture
def another_site():
    """A site of someone else's on another origin (127.0.0.1, where the shop is localhost): pages it is given."""
    pages = {}
    server = LoopbackServer(
        ("127.0.0.1", 0),
        lambda method, target, headers, body: Reply(200, pages[target].encode(), "text/html; charset=utf-8"),
        name="AnotherSite",
        logger=logging.getLogger(__name__),
    )
    server.serve_in_background()
    server.pages = pages
    yield server
    server.close()


def test_a_form_on_another_site_that_posts_to_the_shop_is_refused_with_a_page_that_says_why(
    page_without_javascript, live_demo_shop, another_site
):
    from playwright.sync_api import expect

    page = page_without_javascript
    product = product_in_stock()
    add = f"/shop/basket/add/{product.pk}/"
    another_site.pages["/prize"] = (
        f'<!doctype html><title>Win</title><form method="post" action="{live_demo_shop.url}{add}">'
        '<input type="hidden" name="quantity" value="5"><input type="hidden" name="csrfmiddlewaretoken" value="">'
        "<button>Claim your prize</button></form>"
    )
    page.goto(another_site.url + "/prize")

    page.get_by_role("button", name="Claim your prize").click()

    expect(page.get_by_role("heading", name="Form not accepted")).to_be_visible()
    expect(page.get_by_text("This form was sent from another website.")).to_be_visible()
    assert page.documents[-1] == ("POST", add, 403)
    assert not Line.objects.exists()
