"""/robots.txt keeps crawlers out of the basket, checkout, accounts, staff areas and search results, leaves the
storefront open and names the sitemap by its absolute URL."""

from urllib.robotparser import RobotFileParser

import pytest
from django.urls import reverse
from oscar.core.loading import get_model

from cms.models import CategoryPage

Product = get_model("catalogue", "Product")

BASE = "https://shop.example.com"


@pytest.fixture
def robots(client, settings, django_assert_num_queries):
    settings.SHOP_BASE_URL = BASE
    with django_assert_num_queries(0):  # no database behind it: cheaper to render than to cache
        response = client.get("/robots.txt")
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_robots_txt_is_plain_text_that_caches_and_names_the_sitemap(robots):
    assert robots["Content-Type"] == "text/plain; charset=utf-8"
    assert "public" in robots["Cache-Control"] and "max-age=86400" in robots["Cache-Control"]
    assert f"Sitemap: {BASE}/sitemap.xml" in robots.content.decode().splitlines()


def parser(robots) -> RobotFileParser:
    rules = RobotFileParser()
    rules.parse(robots.content.decode().splitlines())
    return rules


@pytest.mark.parametrize(
    "path",
    [
        "/shop/basket/",
        "/shop/checkout/",
        "/shop/checkout/shipping-address/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/shop/accounts/",
        "/shop/accounts/orders/",
        "/shop/dashboard/",
        "/cms/",
        "/cms/pages/",
        "/django-admin/",
        "/shop/search/?q=lamp",
        "/shop/search/autocomplete/?q=la",
        "/shop/order-lookup/",
        "/shop/visitor/?product=1",
    ],
)
@pytest.mark.django_db
def test_crawlers_are_kept_out_of_the_shoppers_and_staffs_own_pages(robots, path):
    assert not parser(robots).can_fetch("Googlebot", BASE + path)


def test_the_storefront_and_its_sitemap_stay_open(demo_shop, robots):
    rules = parser(robots)
    product = Product.objects.browsable().first()
    category_page = CategoryPage.objects.live().first()
    for path in ["/", product.get_absolute_url(), category_page.url, "/shop/catalogue/", "/sitemap.xml", "/terms/"]:
        assert rules.can_fetch("Googlebot", BASE + path), path
    assert reverse("sitemap-section", kwargs={"section": "products"}) == "/sitemap-products.xml"
    assert rules.can_fetch("Googlebot", f"{BASE}/sitemap-products.xml?p=2")


@pytest.mark.django_db
def test_facet_combinations_are_left_out_by_a_pattern(robots):
    """Python's parser knows no wildcards; Google's and Bing's do (RFC 9309)."""
    assert "Disallow: /*?*selected_facets=" in robots.content.decode().splitlines()
