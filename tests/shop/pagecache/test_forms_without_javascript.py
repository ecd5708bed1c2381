"""A shopper whose browser runs no JavaScript posts a cached page's form in one step (shop/pagecache/posts.py): the
browser says the post comes from the shop's own page (Origin, Sec-Fetch-Site), so the empty token does not matter;
the answer and every page after it are rendered for that browser, so it sees what happened.

The client here is such a browser: Django's test client with CSRF checks on, sending the headers Chromium sends
with a form post (tests/e2e/test_cached_pages.py drives Chromium itself with JavaScript off)."""

import json
import re
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from django.test import Client
from django.urls import resolve, reverse
from oscar.core.loading import get_model

from tests.shop.pagecache.test_page_cache import category_url, in_stock, url_of

Product = get_model("catalogue", "Product")
ProductAlert = get_model("customer", "ProductAlert")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db

FROM_THE_SHOP = {"HTTP_ORIGIN": "http://testserver", "HTTP_SEC_FETCH_SITE": "same-origin"}


def browser_without_javascript() -> Client:
    return Client(enforce_csrf_checks=True)


def cached(url: str):
    """The page as the shared copy serves it: someone else's visit stored it."""
    Client().get(url)
    response = browser_without_javascript().get(url)
    assert response["X-Page-Cache"] == "hit", url
    return response


def post_forms(response) -> list[dict]:
    """Each form of the page that posts: its action and the fields it sends as the page has them."""
    forms = []
    for form in BeautifulSoup(response.content, "html.parser").find_all("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        fields = {}
        for field in form.find_all(["input", "select"]):
            if not field.get("name"):
                continue
            if field.name == "select":
                option = field.find("option", selected=True) or field.find("option")
                fields[field["name"]] = option["value"]
            else:
                fields[field["name"]] = field.get("value", "")
        forms.append({"id": form.get("id", ""), "action": form["action"], "fields": fields})
    return forms


def basket_items(client) -> int:
    return json.loads(client.get("/shop/visitor/").content)["basket"]["numItems"]


def test_adding_to_the_basket_from_a_cached_product_page_takes_one_step_and_the_next_page_says_so(demo_shop):
    product, _ = in_stock()
    url = url_of(product)
    (form,) = [form for form in post_forms(cached(url)) if form["id"] == "add_to_basket_form"]
    assert form["fields"]["csrfmiddlewaretoken"] == ""  # the shared copy's form, as visitor.js would find it
    shopper = browser_without_javascript()

    response = shopper.post(form["action"], {**form["fields"], "quantity": 2}, HTTP_REFERER=url, **FROM_THE_SHOP)

    assert (response.status_code, response["Location"]) == (302, url)  # back where the shopper was, as with script
    after = shopper.get(url)
    assert (after.status_code, after["X-Page-Cache"]) == (200, "skip")  # rendered for this browser
    html = after.content.decode()
    assert re.search(rf"<strong>{re.escape(product.get_title())}</strong>\s+have been added to your cart", html)
    # The header's basket as rendered for this browser (not the cached copy's, which visitor.js fills in).
    assert re.search(r'class="header-basket basket-mini"[^>]*>.*?class="badge badge-primary">2<', html, re.S)
    assert "data-visitor-basket" not in html and "visitor.js" not in html
    assert basket_items(shopper) == 2
    assert Client().get(url)["X-Page-Cache"] == "hit"  # everyone else still gets the shared copy


def test_adding_from_a_cached_category_listing_takes_one_step(search_index):
    product, _ = in_stock()
    page = category_url(product)
    forms = [form for form in post_forms(cached(page)) if resolve(urlsplit(form["action"]).path).url_name == "add"]
    assert forms, "the listing shows add-to-basket buttons"
    shopper = browser_without_javascript()

    response = shopper.post(forms[0]["action"], forms[0]["fields"], HTTP_REFERER=page, **FROM_THE_SHOP)

    assert response.status_code == 302
    assert "has been added to your cart" in shopper.get(page).content.decode()
    assert basket_items(shopper) == 1


def test_a_refused_quantity_is_explained_on_the_page_the_shopper_comes_back_to(demo_shop):
    product, _ = in_stock()
    url = url_of(product)
    (form,) = [form for form in post_forms(cached(url)) if form["id"] == "add_to_basket_form"]
    shopper = browser_without_javascript()

    response = shopper.post(form["action"], {**form["fields"], "quantity": 0}, HTTP_REFERER=url, **FROM_THE_SHOP)

    assert response.status_code == 302
    html = shopper.get(url).content.decode()
    assert "Ensure this value is greater than or equal to 1" in html
    assert basket_items(shopper) == 0


def test_asking_for_a_back_in_stock_alert_from_a_cached_page_takes_one_step(demo_shop):
    product, _ = in_stock()
    StockRecord.objects.filter(product=product).update(num_in_stock=0, num_allocated=0)
    url = url_of(product)
    (form,) = [form for form in post_forms(cached(url)) if form["id"] == "alert_form"]
    shopper = browser_without_javascript()

    response = shopper.post(
        form["action"], {**form["fields"], "email": "waiting@example.com"}, HTTP_REFERER=url, **FROM_THE_SHOP
    )

    assert (response.status_code, response["Location"]) == (302, url)
    assert ProductAlert.objects.get(product=product).email == "waiting@example.com"
    assert "A confirmation email has been sent to waiting@example.com" in shopper.get(url).content.decode()


def test_choosing_a_language_from_a_cached_page_takes_one_step(demo_shop):
    product, _ = in_stock()
    url = url_of(product)
    # The language menu: one form per language, each posting to set_language (the button names the language).
    (form, *_) = [form for form in post_forms(cached(url)) if form["action"] == reverse("set_language")]
    shopper = browser_without_javascript()

    response = shopper.post(form["action"], {**form["fields"], "language": "nl"}, HTTP_REFERER=url, **FROM_THE_SHOP)

    assert response.status_code == 302
    assert shopper.cookies["django_language"].value == "nl"
    assert '<html lang="nl"' in shopper.get(url).content.decode()


def test_with_javascript_the_filled_in_token_and_the_shared_copy_stay_as_they_were(demo_shop):
    """visitor.js filled the token: the browser shows it runs script, so its pages stay the shared copy."""
    product, _ = in_stock()
    url = url_of(product)
    shopper = browser_without_javascript()
    shopper.get(url)
    token = json.loads(shopper.get("/shop/visitor/").content)["csrfToken"]

    response = shopper.post(
        f"/shop/basket/add/{product.pk}/",
        {"quantity": 1, "csrfmiddlewaretoken": token},
        HTTP_REFERER=url,
        **FROM_THE_SHOP,
    )

    assert response.status_code == 302 and "shop_noscript" not in response.cookies
    assert shopper.get(url)["X-Page-Cache"] == "hit"
    assert basket_items(shopper) == 1


def test_every_form_a_cached_page_shows_posts_to_a_view_that_takes_it_without_a_token(search_index):
    """Adding to the basket (product pages, listings), the back-in-stock alert, the language: each cached page's
    post forms lead to views marked same_origin_post, so none of them needs a second step without JavaScript."""
    available, unavailable = in_stock()
    StockRecord.objects.filter(product=unavailable).update(num_in_stock=0, num_allocated=0)
    pages = [url_of(available), url_of(unavailable), category_url(available), "/shop/catalogue/"]

    actions = {form["action"] for page in pages for form in post_forms(cached(page))}

    views = [resolve(urlsplit(action).path) for action in actions]
    assert {view.view_name for view in views} == {"basket:add", "customer:alert-create", "set_language"}
    assert all(getattr(view.func, "same_origin_post", False) for view in views)
