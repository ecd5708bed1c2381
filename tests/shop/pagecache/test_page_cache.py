"""Anonymous product and category pages carry no per-visitor state, are cached whole, and are purged at once
when what they show changes (shop/pagecache)."""

import json
import re
from decimal import Decimal

import pytest
from django.test import Client
from oscar.core.loading import get_model

from cms.models import CategoryPage
from shop.pagecache import services
from shop.pagecache.versions import STOREFRONT, product_tag
from shop.search.selectors import product_listing_face
from shop.search.services import product_index_refresh
from tests.support.tasks import outbox_mark, run_queued_since
from tests.support.users import user_with_login

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")
ProductRecord = get_model("analytics", "ProductRecord")

pytestmark = pytest.mark.django_db

CSRF_VALUES = re.compile(r'name="csrfmiddlewaretoken" value="([^"]*)"')


def in_stock(count=2):
    products = Product.objects.browsable().filter(stockrecords__num_in_stock__gt=3)
    products = products.exclude(stockrecords__num_allocated__gt=0)
    return list(products.filter(categories__isnull=False).order_by("pk")[:count])


def url_of(product):
    return product.get_absolute_url()


def category_url(product):
    return CategoryPage.objects.get(category=product.get_categories().first()).url


def cache_state(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response["X-Page-Cache"], response.content.decode()


@pytest.fixture
def shopper(demo_shop):
    """An anonymous shopper with everything per-visitor a page could leak: a basket, a pending message and a
    recently viewed product."""
    client = Client()
    bought, _ = in_stock()
    client.get(url_of(bought))  # a cached page sets no recently-viewed cookie: the endpoint does
    client.get(f"/shop/visitor/?product={bought.pk}")  # the recently-viewed cookie
    client.post(f"/shop/basket/add/{bought.pk}/", {"quantity": 1})  # the basket cookie and a message
    assert client.cookies.get("oscar_history") and client.cookies.get("oscar_open_basket")
    return client


def assert_no_visitor_state(html):
    assert set(CSRF_VALUES.findall(html)) <= {""}  # forms carry an empty token, for visitor.js to fill
    assert "has been added" not in html  # the pending message
    assert "recently viewed" not in html
    assert "basket-mini-item" not in html  # Oscar's basket dropdown
    assert re.search(r"<span data-visitor-basket-total></span>", html)


def test_an_anonymous_product_page_carries_no_visitor_state_and_is_served_again_without_a_query(
    shopper, django_assert_num_queries
):
    _, product = in_stock()

    first = shopper.get(url_of(product))
    html = first.content.decode()
    assert first["X-Page-Cache"] == "miss"
    assert not first.cookies  # no CSRF, basket, history or session cookie: nothing ties the page to this visitor
    assert_no_visitor_state(html)
    assert 'name="csrfmiddlewaretoken" value=""' in html  # the add-to-basket form, token left to visitor.js
    assert f'<meta name="visitor-product" content="{product.pk}"' in html
    assert "data-visitor-recently-viewed" in html
    assert "shop/js/visitor.js" in html

    with django_assert_num_queries(0):
        second = shopper.get(url_of(product))
    assert second["X-Page-Cache"] == "hit"
    # The same page, but for the CSP nonce of its inline script: each answer has its own (tests/security/test_csp.py).
    nonce = re.compile(rb'nonce="[^"]+"')
    assert nonce.sub(b"", second.content) == nonce.sub(b"", first.content)
    assert nonce.findall(second.content) != nonce.findall(first.content)
    assert "Cookie" in second["Vary"]


def test_a_visitor_with_a_session_is_served_the_copy_after_one_query(demo_shop, django_assert_num_queries):
    """A session cookie may belong to a signed-in visitor: reading the session (one query) tells."""
    product, _ = in_stock()
    client = Client()
    session = client.session
    session["seen"] = True
    session.save()
    client.cookies["sessionid"] = session.session_key
    assert client.get(url_of(product))["X-Page-Cache"] == "miss"

    with django_assert_num_queries(1):
        assert client.get(url_of(product))["X-Page-Cache"] == "hit"


def test_category_pages_and_their_listings_are_cached_by_full_url(shopper, search_index):
    product, _ = in_stock()
    page = category_url(product)

    for url in (page, f"{page}?sort_by=price-asc", f"{page}?selected_facets=availability:In+stock"):
        state, html = cache_state(shopper, url)
        assert state == "miss", url
        assert_no_visitor_state(html)
        assert cache_state(shopper, url)[0] == "hit", url
    assert cache_state(shopper, f"{page}?sort_by=price-desc")[0] == "miss"


def test_browsing_the_catalogue_is_cached_and_a_keyword_search_is_not(shopper, search_index):
    for url in ("/shop/catalogue/", "/shop/catalogue/?sort_by=price-asc&page=1"):
        state, html = cache_state(shopper, url)
        assert state == "miss", url
        assert_no_visitor_state(html)
        assert cache_state(shopper, url)[0] == "hit", url
    response = shopper.get("/shop/search/?q=book")
    assert response.status_code == 200 and "X-Page-Cache" not in response


def test_a_signed_in_shopper_is_never_served_the_cached_copy(demo_shop, client):
    product, _ = in_stock()
    cache_state(client, url_of(product))
    assert cache_state(client, url_of(product))[0] == "hit"

    client.force_login(user_with_login(email="reader@example.com"))
    state, html = cache_state(client, url_of(product))

    assert state == "skip"
    assert all(CSRF_VALUES.findall(html))  # the forms are rendered with this visitor's token
    assert 'id="logout_link"' in html
    assert "visitor.js" not in html


def change(django_capture_on_commit_callbacks, action):
    """The change commits, then a worker runs its tasks (the search index follows: listings read it)."""
    mark = outbox_mark()
    with django_capture_on_commit_callbacks(execute=True):
        action()
    with django_capture_on_commit_callbacks(execute=True):
        run_queued_since(mark)


def test_a_price_change_purges_the_product_page_and_the_listings(
    search_index, client, django_capture_on_commit_callbacks
):
    product, _ = in_stock()
    for url in (url_of(product), category_url(product)):
        cache_state(client, url)

    record = product.stockrecords.get()
    record.price = Decimal("1234.56")
    change(django_capture_on_commit_callbacks, record.save)

    for url in (url_of(product), category_url(product)):
        state, html = cache_state(client, url)
        assert (state, "1,234.56" in html) == ("miss", True), url


def test_a_stock_change_purges_the_product_page_and_the_listings_only_when_it_can_no_longer_be_bought(
    search_index, client, django_capture_on_commit_callbacks
):
    product, _ = in_stock()
    record = product.stockrecords.get()
    for url in (url_of(product), category_url(product)):
        cache_state(client, url)

    record.num_in_stock = 97
    change(django_capture_on_commit_callbacks, record.save)
    state, html = cache_state(client, url_of(product))
    assert (state, "97 available" in html) == ("miss", True)
    assert cache_state(client, category_url(product))[0] == "hit"  # the listing still says "In stock"

    change(django_capture_on_commit_callbacks, lambda: record.allocate(97))  # an order takes the rest
    state, html = cache_state(client, url_of(product))
    assert (state, "97 available" in html) == ("miss", False)
    state, html = cache_state(client, category_url(product))
    assert state == "miss"


def test_refreshing_an_unchanged_product_leaves_what_listings_show_of_it_as_it_was(search_index):
    """The index refresh purges every cached listing when a product's entry looks different: an entry written
    again from the same data must look the same (the database hands attribute values back in no set order)."""
    for product in Product.objects.browsable().order_by("pk"):
        before = product_listing_face(product_id=product.pk)
        product_index_refresh(product_id=product.pk)
        assert product_listing_face(product_id=product.pk) == before, product.title


def test_one_stock_change_that_makes_a_product_unbuyable_purges_the_listings_once(
    search_index, client, django_capture_on_commit_callbacks, monkeypatch
):
    """The search index refresh alone decides that listings changed (they read the index): the page cache's own
    receiver purges the product's page, not the listings a second time."""
    product, _ = in_stock()
    record = product.stockrecords.get()
    cache_state(client, category_url(product))
    bumped = []
    bump = services.versions_bump
    monkeypatch.setattr(services, "versions_bump", lambda tags: (bumped.append(tags), bump(tags)))

    change(django_capture_on_commit_callbacks, lambda: record.allocate(record.num_in_stock))  # the last units sold

    assert [tags for tags in bumped if STOREFRONT in tags] == [[STOREFRONT]]
    assert any(product_tag(product.pk) in tags for tags in bumped)
    state, html = cache_state(client, category_url(product))
    assert state == "miss"


def test_a_title_change_purges_the_product_page_and_the_listings(
    search_index, client, django_capture_on_commit_callbacks
):
    product, _ = in_stock()
    for url in (url_of(product), category_url(product)):
        cache_state(client, url)

    product.title = "Zeppelin pocket guide"
    change(django_capture_on_commit_callbacks, product.save)

    for url in (url_of(product), category_url(product)):
        state, html = cache_state(client, url)
        assert (state, "Zeppelin pocket guide" in html) == ("miss", True), url


def test_publishing_the_category_page_shows_the_change_at_once(demo_shop, client, django_capture_on_commit_callbacks):
    product, _ = in_stock()
    page = CategoryPage.objects.get(category=product.get_categories().first())
    cache_state(client, page.url)
    assert cache_state(client, page.url)[0] == "hit"

    page.intro = "<p>Autumn reading, hand-picked.</p>"
    change(django_capture_on_commit_callbacks, lambda: page.save_revision().publish())

    state, html = cache_state(client, page.url)
    assert (state, "Autumn reading, hand-picked." in html) == ("miss", True)


def test_the_visitor_endpoint_gives_the_token_basket_and_messages_and_records_the_view(shopper):
    _, product = in_stock()

    response = shopper.get(f"/shop/visitor/?product={product.pk}&recently_viewed=1")

    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    visitor = json.loads(response.content)
    assert visitor["csrfToken"] and not visitor["signedIn"]
    assert (visitor["basket"]["numLines"], visitor["basket"]["numItems"]) == (1, 1)
    assert re.fullmatch(r"€\d+\.\d\d", visitor["basket"]["total"])
    assert Client().get("/shop/visitor/").json()["basket"]["total"] == "€0.00", "an empty basket reads €0.00"
    assert "has been added" in visitor["messages"]
    assert "recently viewed" in visitor["recentlyViewed"]
    assert json.loads(response.cookies["oscar_history"].value)[-1] == product.pk
    assert ProductRecord.objects.get(product=product).num_views == 1

    again = json.loads(shopper.get("/shop/visitor/").content)
    assert "has been added" not in again["messages"]  # delivered once


def test_adding_to_the_basket_from_a_cached_page_with_the_token_from_the_endpoint(demo_shop):
    shopper = Client(enforce_csrf_checks=True)
    product, _ = in_stock()
    shopper.get(url_of(product))
    assert cache_state(shopper, url_of(product))[0] == "hit"

    token = json.loads(shopper.get("/shop/visitor/").content)["csrfToken"]
    response = shopper.post(
        f"/shop/basket/add/{product.pk}/", {"quantity": 2, "csrfmiddlewaretoken": token}, HTTP_REFERER=url_of(product)
    )

    assert response.status_code == 302
    assert json.loads(shopper.get("/shop/visitor/").content)["basket"]["numItems"] == 2
    assert cache_state(shopper, url_of(product))[0] == "hit"  # the shopper's basket is not in the page


def test_a_browser_that_does_not_say_where_a_form_comes_from_posts_it_after_a_confirmation(demo_shop):
    """No Origin, no Sec-Fetch-Site (old browsers; today's send both, see test_forms_without_javascript.py): the
    shop cannot tell the cached page's form from another site's, so it asks once, with a 200 and a button."""
    shopper = Client(enforce_csrf_checks=True)
    product, _ = in_stock()

    asked = shopper.post(f"/shop/basket/add/{product.pk}/", {"quantity": 3, "csrfmiddlewaretoken": ""})

    assert asked.status_code == 200
    assert "no-store" in asked["Cache-Control"]
    html = asked.content.decode()
    assert "Please confirm" in html and "Nothing has been done yet" in html
    assert '<input type="hidden" name="quantity" value="3">' in html
    assert json.loads(shopper.get("/shop/visitor/").content)["basket"]["numItems"] == 0
    (token,) = set(CSRF_VALUES.findall(html))
    confirmed = shopper.post(f"/shop/basket/add/{product.pk}/", {"quantity": 3, "csrfmiddlewaretoken": token})
    assert confirmed.status_code == 302
    assert json.loads(shopper.get("/shop/visitor/").content)["basket"]["numItems"] == 3


def test_a_page_whose_rendering_touched_the_visitors_session_is_served_but_not_stored(demo_shop):
    """Oscar keeps a refused add-to-basket form in the session and shows its errors on the product page once:
    that rendering belongs to this visitor alone."""
    product, _ = in_stock()
    shopper = Client()
    shopper.post(f"/shop/basket/add/{product.pk}/", {"quantity": 0}, HTTP_REFERER=url_of(product))

    assert cache_state(shopper, url_of(product))[0] == "skip"
    assert cache_state(Client(), url_of(product))[0] == "miss"


def test_the_sitemap_is_cached_and_a_product_taken_off_the_shop_leaves_it_at_once(
    demo_shop, client, django_capture_on_commit_callbacks
):
    product, _ = in_stock()
    cache_state(client, "/sitemap.xml")
    state, xml = cache_state(client, "/sitemap.xml")
    assert (state, product.get_absolute_url() in xml) == ("hit", True)

    product.is_public = False
    change(django_capture_on_commit_callbacks, product.save)

    state, xml = cache_state(client, "/sitemap.xml")
    assert (state, product.get_absolute_url() in xml) == ("miss", False)
