"""/sitemap.xml lists every product the storefront shows and every live public page (the category pages among
them), each once, with its last change, on SHOP_BASE_URL; past its limit it becomes an index of numbered files."""

import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from django.apps import apps
from django.utils import timezone
from oscar.core.loading import get_model
from wagtail.models import Page, PageViewRestriction

from cms.models import CategoryPage, ContentPage
from shop.catalogue.sitemaps import ProductSitemap
from tests.support.catalogue import parent_with_variants

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")

pytestmark = pytest.mark.usefixtures("demo_shop")

BASE = "https://shop.example.com"
NS = {"sm": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.SHOP_BASE_URL = BASE


def sitemap_xml(client, url="/sitemap.xml"):
    response = client.get(url)
    assert response.status_code == 200, f"{url} answered {response.status_code}"
    assert response["Content-Type"] == "application/xml"
    return response, ET.fromstring(response.content)


def entries(root) -> list[tuple[str, str | None]]:
    """(loc, lastmod) of each <url> of a urlset, or each <sitemap> of an index."""
    return [
        (node.findtext("sm:loc", namespaces=NS), node.findtext("sm:lastmod", namespaces=NS))
        for node in root.findall("sm:url", NS) + root.findall("sm:sitemap", NS)
    ]


def locations(client, url="/sitemap.xml") -> list[str]:
    return [loc for loc, _lastmod in entries(sitemap_xml(client, url)[1])]


def product_url(product) -> str:
    return BASE + product.get_absolute_url()


def test_every_public_product_is_listed_exactly_once_and_no_other(client):
    hidden = Product.objects.browsable().order_by("pk").first()
    hidden.is_public = False
    hidden.save()
    parent = parent_with_variants(title="Rain hat", variants=[("21.00", 3), ("22.00", 1)])
    private_variant = parent.children.first()
    private_variant.is_public = False
    private_variant.save()

    found = [loc for loc in locations(client) if "/shop/catalogue/" in loc]

    public = Product.objects.browsable()
    assert public.count() >= 30
    assert Counter(found) == Counter({product_url(product): 1 for product in public})
    assert product_url(parent) in found, "a parent stands for its variants"
    assert product_url(hidden) not in found
    assert not {product_url(child) for child in parent.children.all()} & set(found), "variants have no listing"


def test_every_live_public_page_is_listed_with_the_category_pages_and_no_draft_or_private_one(client):
    draft = ContentPage.objects.live().order_by("path").first()
    draft.unpublish()
    private = ContentPage.objects.live().order_by("path").first()
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.PASSWORD, password="x")

    found = locations(client)

    pages = [BASE + page.url for page in Page.objects.live().public().filter(depth__gt=1)]
    assert Counter(url for url in found if "/shop/catalogue/" not in url) == Counter(pages)
    assert BASE + "/" in found, "the home page"
    category_pages = [BASE + page.url for page in CategoryPage.objects.live()]
    assert len(category_pages) == Category.objects.count() == 65
    assert set(category_pages) <= set(found)
    assert BASE + draft.url not in found
    assert BASE + private.url not in found


def test_every_url_is_absolute_on_the_shops_base_url_with_its_last_change(client):
    response, root = sitemap_xml(client)

    listed = entries(root)
    assert root.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}urlset"
    assert listed and all(loc.startswith(BASE + "/") for loc, _ in listed)
    assert all(lastmod for _, lastmod in listed), "each URL with lastmod"
    product = Product.objects.browsable().order_by("-date_updated").first()
    assert (product_url(product), timezone.localdate(product.date_updated).isoformat()) in listed
    assert response["Last-Modified"], "the newest change, for conditional requests"


def test_past_its_limit_the_sitemap_is_an_index_of_numbered_files_that_list_every_product_once(client, monkeypatch):
    monkeypatch.setattr(ProductSitemap, "limit", 7)
    public = Product.objects.browsable()
    files = -(-public.count() // 7)  # rounded up
    assert files >= 5

    _, index = sitemap_xml(client)

    assert index.tag == "{http://www.sitemaps.org/schemas/sitemap/0.9}sitemapindex"
    listed = entries(index)
    product_files = [f"{BASE}/sitemap-products.xml"] + [
        f"{BASE}/sitemap-products.xml?p={n}" for n in range(2, files + 1)
    ]
    assert [loc for loc, _ in listed] == [f"{BASE}/sitemap-pages.xml", *product_files]
    assert all(lastmod for _, lastmod in listed)
    found = []
    for url in product_files:
        in_file = locations(client, url.removeprefix(BASE))
        assert 0 < len(in_file) <= 7
        found += in_file
    assert Counter(found) == Counter({product_url(product): 1 for product in public})
    assert client.get(f"/sitemap-products.xml?p={files + 1}").status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


def test_no_page_type_has_sitemap_urls_of_its_own():
    """The pages section reads base Page rows (cms.sitemaps.PageSitemap), which is right only while no page type
    lists URLs of its own or routes its own URL."""
    for model in apps.get_app_config("cms").get_models():
        if issubclass(model, Page):
            for method in ("get_sitemap_urls", "get_url_parts"):
                assert getattr(model, method) is getattr(Page, method), f"{model.__name__}.{method}"
