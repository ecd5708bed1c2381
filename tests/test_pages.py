"""Every page a shopper, merchandiser or staff member reaches renders."""

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.utils.html import escape
from oscar.core.loading import get_model

from cms.models import CategoryPage, HomePage
from tests.support.users import login, with_totp

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")

pytestmark = pytest.mark.usefixtures("demo_shop")


def get_ok(client, url):
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    return response.content.decode()


def test_home_page_shows_hero_and_featured_products_with_prices(client):
    html = get_ok(client, "/")
    assert "Good things, delivered tomorrow" in html
    assert "Featured products" in html
    featured = Product.objects.get(upc="DEMO-000000")
    assert featured.get_title() in html
    assert re.search(r"€\d+\.\d\d", html), "prices in euros"


def test_cms_category_page_lists_its_products_with_facets_and_sub_categories(client, search_index):
    books = Category.objects.get(name="Books", depth=1)
    response = client.get(f"/{books.slug}/")
    html = response.content.decode()
    in_books = Product.objects.filter(categories__in=books.get_descendants_and_self()).distinct()
    assert response.context["paginator"].count == in_books.count()
    assert in_books.order_by("-date_updated").first().get_title() in html
    assert 'id="facets"' in html and "Binding" in html, "facets, with the books' attributes"
    for child in books.get_children():
        assert f'<a href="{child.cms_page.url}">{escape(child.name)}</a>' in html, "sub-categories"


def test_every_category_has_a_live_page_and_a_deep_one_lists_its_products_below_its_parents(client, search_index):
    assert CategoryPage.objects.live().count() == Category.objects.count() == 65
    leaf = Category.objects.filter(depth=3, product__isnull=False).first()
    html = get_ok(client, leaf.cms_page.url)
    assert leaf.product_set.first().get_title() in html
    for ancestor in leaf.get_ancestors():
        assert f'<a href="{ancestor.cms_page.url}">{escape(ancestor.name)}</a>' in html, "breadcrumbs"


def test_oscar_category_listing_shows_images_and_euro_prices(client, search_index):
    leaf = Category.objects.filter(depth=3, product__isnull=False).first()
    response = client.get(leaf.get_absolute_url())
    assert (response.status_code, response["Location"]) == (302, leaf.cms_page.url), "the page is canonical"
    html = get_ok(client, leaf.cms_page.url)
    product = leaf.product_set.first()
    assert product.get_title() in html
    assert "/media/cache/" in html or "/media/demo/" in html, "product images are shown"
    assert "€" in html


def test_product_page_shows_images_description_and_specifications(client):
    product = Product.objects.get(upc="DEMO-000001")
    html = get_ok(client, product.get_absolute_url())
    assert product.get_title() in html
    assert "Made to last" in html
    assert html.count('class="carousel-item') >= 2 or html.count("<img") >= 3, "several images"
    specifications = html[html.index('id="product_specifications"') :]
    for value in product.attribute_values.all():  # "Power (W)" 45 reads "Power | 45 W"
        assert value.attribute.name.split(" (")[0] in specifications and str(value.value) in specifications


def test_search_finds_a_product_by_a_word_of_its_title(client, search_index):
    product = Product.objects.get(upc="DEMO-000002")
    word = product.title.split()[1]
    html = get_ok(client, f"/shop/search/?q={word}")
    assert product.get_title() in html


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("/shop/basket/", "Your cart is empty."),
        ("/accounts/login/", "Sign In"),
        ("/accounts/signup/", "Sign Up"),
        ("/accounts/password/reset/", "Password Reset"),
        ("/shop/catalogue/", "All products"),
    ],
)
def test_public_pages_render(client, url, shown, search_index):
    assert shown in get_ok(client, url)


@pytest.mark.parametrize("slug", ["terms", "privacy", "imprint", "shipping-and-returns", "about"])
def test_legal_and_information_pages_render(client, slug):
    html = get_ok(client, f"/{slug}/")
    assert "<h1>" in html


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("/shop/accounts/profile/", "shopper@example.com"),
        ("/shop/accounts/orders/", "Order History"),
        ("/shop/accounts/addresses/", "Address Book"),
        ("/shop/accounts/wishlists/", "Wish Lists"),
        ("/accounts/email/", "shopper@example.com"),
        ("/accounts/password/change/", "Change Password"),
    ],
)
def test_account_pages_render_for_the_shopper(client, url, shown):
    login(client, "shopper@example.com")
    assert shown in get_ok(client, url)


def test_account_pages_need_a_login(client):
    response = client.get("/shop/accounts/orders/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_merchandiser_reaches_the_wagtail_editor(client):
    with_totp(get_user_model().objects.get(email="merchandiser@example.com"))
    login(client, "merchandiser@example.com")
    get_ok(client, "/cms/")
    home = HomePage.objects.get()
    get_ok(client, f"/cms/pages/{home.pk}/")
    html = get_ok(client, f"/cms/pages/{home.pk}/edit/")
    assert "Featured products" in html
    books = CategoryPage.objects.get(category__name="Books")
    html = get_ok(client, f"/cms/pages/{books.pk}/edit/")
    assert "Our favourite books" in html, "merchandisers dress category pages"
    chooser = json.loads(get_ok(client, "/cms/products/chooser/"))["html"]
    assert 'name="q"' in chooser, "a search box: a catalogue is too long to scroll"
    results = get_ok(client, "/cms/products/chooser/results/?q=compact")
    compact = Product.objects.browsable().filter(title__icontains="compact").order_by("title").first()
    other = Product.objects.browsable().exclude(title__icontains="compact").order_by("title").first()
    assert escape(compact.title) in results and escape(other.title) not in results
    by_code = get_ok(client, f"/cms/products/chooser/results/?q={other.upc}")
    assert escape(other.title) in by_code and escape(compact.title) not in by_code


def test_shopper_is_kept_out_of_the_wagtail_editor(client):
    login(client, "shopper@example.com")
    response = client.get("/cms/")
    assert response.status_code in (302, 403)


def test_staff_reaches_the_oscar_dashboard(client):
    with_totp(get_user_model().objects.get(email="staff@example.com"))
    login(client, "staff@example.com")
    html = get_ok(client, "/shop/dashboard/")
    assert "Dashboard" in html
    get_ok(client, "/shop/dashboard/orders/")
    get_ok(client, "/shop/dashboard/catalogue/")


def test_shopper_is_kept_out_of_the_dashboard(client):
    login(client, "shopper@example.com")
    response = client.get("/shop/dashboard/")
    assert response.status_code in (302, 403)


def test_a_product_added_to_the_basket_shows_with_price_quantity_and_total(client):
    product = Product.objects.filter(stockrecords__num_in_stock__gt=2).first()
    price = product.stockrecords.get().price

    response = client.post(f"/shop/basket/add/{product.pk}/", {"quantity": 2})
    assert response.status_code == 302

    html = get_ok(client, "/shop/basket/")
    assert product.get_title() in html
    assert 'value="2"' in html, "the quantity is shown and editable"
    assert f"€{price * 2:,.2f}" in html, "the line total is the shelf price times the quantity"
