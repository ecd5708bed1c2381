"""Our own pages cost the same number of queries however many products they show."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model

from cms.models import HomePage
from shop.catalogue.sitemaps import ProductSitemap

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")


@pytest.fixture(autouse=True)
def _render_every_time(settings):
    """These measure what a page costs to render: the anonymous page cache (shop/pagecache) would answer the
    second GET without rendering, and its purges wait for commits that a test's transaction never makes."""
    settings.SHOP_PAGE_CACHE_SECONDS = 0


def queries_for(client, url):
    client.get(url)  # warm caches (sorl's thumbnail store, Wagtail's site lookup)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode().count('class="product_pod"')


@pytest.mark.django_db
def test_home_page_queries_do_not_grow_with_featured_products(client):
    call_command("load_demo_shop", products=40, no_index=True, verbosity=0)
    home = HomePage.objects.get()

    def feature(count):
        products = list(Product.objects.order_by("upc")[:count])
        home.body = [("products", {"title": "Featured", "products": products})]
        home.save_revision().publish()
        return queries_for(client, "/")

    two_queries, two_cards = feature(2)
    twelve_queries, twelve_cards = feature(12)

    assert (two_cards, twelve_cards) == (2, 12)
    assert twelve_queries == two_queries


@pytest.mark.django_db
@pytest.mark.parametrize("listing", ["catalogue", "category", "filtered category", "search"])
def test_listings_cost_the_same_queries_for_12_or_48_cards_and_for_100_or_2000_products(client, settings, listing):
    call_command("load_demo_shop", products=100, verbosity=0)

    def url():
        books = Category.objects.get(name="Books", depth=1)
        return {
            "catalogue": "/shop/catalogue/",
            "category": f"/{books.slug}/",  # the category page: Oscar's listing at the Wagtail page
            "filtered category": f"/{books.slug}/?selected_facets=availability:In+stock&sort_by=price-asc",
            "search": "/shop/search/?q=book",
        }[listing]

    settings.OSCAR_PRODUCTS_PER_PAGE = 12
    small_queries, small_cards = queries_for(client, url())
    settings.OSCAR_PRODUCTS_PER_PAGE = 48
    big_queries, big_cards = queries_for(client, url())
    call_command("load_demo_shop", products=2000, verbosity=0)
    bigger_catalogue_queries, _ = queries_for(client, url())

    assert small_cards == 12 and big_cards > 12
    assert small_queries == big_queries == bigger_catalogue_queries


@pytest.mark.django_db
def test_a_listing_counts_its_facets_in_one_query(client, settings):
    call_command("load_demo_shop", products=30, verbosity=0)
    client.get("/shop/catalogue/")
    with CaptureQueriesContext(connection) as captured:
        client.get("/shop/catalogue/")

    facet_queries = [q for q in captured.captured_queries if "facet.value" in q["sql"]]
    assert len(settings.OSCAR_SEARCH_FACETS["fields"]) == 4
    assert len(facet_queries) == 1  # every field in one pass, and not again for the page after the count


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/shop/catalogue/?page=2", "/shop/search/?q=book", "/shop/search/?q=guidx"])
def test_a_listing_counts_its_matches_once(client, url):
    call_command("load_demo_shop", products=60, verbosity=0)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)

    assert response.status_code == 200 and response.context["paginator"].count > 0
    counts = [
        q for q in captured.captured_queries if 'COUNT(*) AS "__count" FROM "shop_search_searchdocument"' in q["sql"]
    ]
    assert len(counts) == 1  # a slip too: every search forgives in its one run


@pytest.mark.django_db
def test_the_sitemap_and_its_numbered_files_cost_the_same_queries_for_30_or_530_products(client, monkeypatch):
    call_command("load_demo_shop", products=30, no_index=True, verbosity=0)

    def sitemap_queries():
        counts = {}
        for url in ("/sitemap.xml", "/sitemap-pages.xml", "/sitemap-products.xml", "/sitemap-products.xml?p=2"):
            client.get(url)  # warm caches (Wagtail's site root paths)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            counts[url] = (response.status_code, len(captured.captured_queries))
        return counts

    monkeypatch.setattr(ProductSitemap, "limit", 20)  # an index, and products over several files
    small = sitemap_queries()
    Product.objects.bulk_create(
        Product(title=f"Bulk product {n}", slug=f"bulk-product-{n}", structure=Product.STANDALONE, is_public=True)
        for n in range(500)
    )
    large = sitemap_queries()

    assert large == small
    assert all(status == 200 for status, _queries in small.values())
    assert all(queries <= 10 for _status, queries in small.values()), small
