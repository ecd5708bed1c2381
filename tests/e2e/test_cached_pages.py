"""An anonymous shopper on a cached product page, in headless Chromium: the page is the same for everyone, and
visitor.js fills in the shopper's basket and messages (shop/pagecache)."""

import re

import pytest
from oscar.core.loading import get_model

Product = get_model("catalogue", "Product")

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_a_shopper_adds_to_the_basket_from_a_cached_product_page(page, live_demo_shop, screenshot_on_failure):
    from playwright.sync_api import expect

    product = Product.objects.browsable().filter(stockrecords__num_in_stock__gt=2).order_by("pk").first()
    url = live_demo_shop.url + product.get_absolute_url()
    page.request.get(url)  # someone else visited first: the page is cached

    response = page.goto(url)
    assert response.headers["x-page-cache"] == "hit"
    expect(page.locator("h1")).to_have_text(product.get_title())
    token = page.locator('#add_to_basket_form input[name="csrfmiddlewaretoken"]')
    expect(token).to_have_value(re.compile(r".+"))  # filled in by visitor.js

    page.get_by_role("button", name=re.compile(r"Add to (cart|basket)")).click()

    expect(page.get_by_text(re.compile(rf"{re.escape(product.get_title())} has been added to your"))).to_be_visible()
    expect(page.locator(".basket-mini [data-visitor-basket-count]")).to_have_text("1")
    expect(page.locator(".basket-mini [data-visitor-basket-total]")).to_contain_text("€")
    assert page.request.get(url).headers["x-page-cache"] == "hit"  # the shopper's basket is not in the page
