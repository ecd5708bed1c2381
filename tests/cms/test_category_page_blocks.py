"""The blocks merchandisers dress a category page with: promotional banners and links to categories."""

import io

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from oscar.core.loading import get_model
from wagtail.images.models import Image

from cms.bootstrap import home_page_ensure
from cms.models import CategoryPage
from shop.demo.images import draw_picture
from tests.support.tasks import outbox_mark, run_queued_since

Category = get_model("catalogue", "Category")

pytestmark = pytest.mark.django_db


@pytest.fixture
def books():
    home_page_ensure()
    books = Category.add_root(name="Books")
    for name in ("Fiction", "Travel", "Cooking"):
        books.add_child(name=name)
    return CategoryPage.objects.get(category=books)


def picture(title: str) -> Image:
    image = Image(title=title, file=ImageFile(io.BytesIO(draw_picture(seed=len(title))), name=f"{title}.png"))
    image.save()
    return image


@pytest.fixture
def publish_body(django_capture_on_commit_callbacks):
    """Publish the page with this body, as an editor's request would: committed, so the page cache lets go."""

    def publish(page, body):
        with django_capture_on_commit_callbacks(execute=True):
            page.body = body
            page.save_revision().publish()

    return publish


def test_a_promotional_banner_shows_its_picture_headline_and_button(client, books, publish_body):
    travel = CategoryPage.objects.get(title="Travel")
    banner = {"image": picture("Summer"), "headline": "Summer reads", "text": "Three for two", "button_text": "Go"}
    publish_body(books, [("promo_banner", {**banner, "page": travel, "url": ""})])

    html = client.get("/books/").content.decode()

    section = html[html.index('class="promo-banner') :]
    assert "Summer reads" in section and "Three for two" in section
    assert '<a class="btn btn-light" href="/books/travel/">Go</a>' in section
    assert "<img" in section.split("</section>")[0]


def test_empty_category_links_list_the_pages_sub_categories_and_chosen_ones_keep_the_editors_order(
    client, books, publish_body, django_capture_on_commit_callbacks
):
    publish_body(books, [("category_links", {"title": "Browse by genre", "categories": []})])
    html = client.get("/books/").content.decode()
    links = html[html.index('class="category-links') :].split("</section>")[0]
    assert [title in links for title in ("Fiction", "Travel", "Cooking")] == [True, True, True]

    cooking, fiction = (CategoryPage.objects.get(title=title) for title in ("Cooking", "Fiction"))
    cooking.hero_image = picture("Pans")
    with django_capture_on_commit_callbacks(execute=True):
        cooking.save_revision().publish()
    publish_body(books, [("category_links", {"title": "", "categories": [cooking, fiction]})])
    html = client.get("/books/").content.decode()
    links = html[html.index('class="category-links') :].split("</section>")[0]
    assert links.index("Cooking") < links.index("Fiction") and "Travel" not in links
    assert links.count("<img") == 1, "a category's hero picture, where it has one"


def test_category_links_cost_the_same_queries_for_two_or_three_links(client, books, publish_body, settings):
    settings.SHOP_PAGE_CACHE_SECONDS = 0  # measure the rendering
    pages = list(CategoryPage.objects.filter(depth=4).order_by("path"))

    def queries(chosen):
        publish_body(books, [("category_links", {"title": "", "categories": chosen})])
        client.get("/books/")
        with CaptureQueriesContext(connection) as captured:
            client.get("/books/")
        return len(captured.captured_queries)

    assert queries(pages[:2]) == queries(pages[:3])


def test_a_product_block_shows_the_live_price_and_the_editors_words(
    client, books, publish_body, django_capture_on_commit_callbacks
):
    from decimal import Decimal

    from oscar.test.factories import create_product

    lamp = create_product(title="Reading lamp", price=Decimal("45.00"), num_in_stock=3)
    publish_body(books, [("product", {"product": lamp, "text": "<p>Our pick for long evenings.</p>"})])
    html = client.get("/books/").content.decode()
    block = html[html.index('class="product-block') :].split("</section>")[0]
    assert "Reading lamp" in block and "€45.00" in block and "Our pick for long evenings." in block

    record = lamp.stockrecords.get()
    record.price = Decimal("39.00")
    mark = outbox_mark()
    with django_capture_on_commit_callbacks(execute=True):
        record.save()
    with django_capture_on_commit_callbacks(execute=True):  # the search index shows it: the cached page lets go
        run_queued_since(mark)
    assert "€39.00" in client.get("/books/").content.decode(), "prices are read when the page is shown"


def test_a_category_products_block_shows_that_categorys_newest_products(client, books, publish_body):
    from decimal import Decimal

    from oscar.test.factories import create_product

    travel = Category.objects.get(name="Travel")
    for n in range(3):
        product = create_product(title=f"Travel guide {n}", price=Decimal("12.00"), num_in_stock=1)
        product.categories.add(travel)
    publish_body(books, [("category_products", {"title": "New in travel", "category": travel.cms_page, "count": 2})])

    html = client.get("/books/").content.decode()
    block = html[html.index("New in travel") :].split("</section>")[0]
    assert block.count('class="product_pod"') == 2
    assert "Travel guide 2" in block and "Travel guide 1" in block and "Travel guide 0" not in block
