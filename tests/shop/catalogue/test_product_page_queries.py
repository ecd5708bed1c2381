"""A product page costs the same queries however many specifications, images or variants the product has."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.support.catalogue import parent_with_variants, product_with_specs

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def rendered_every_time(settings):
    settings.SHOP_PAGE_CACHE_SECONDS = 0  # measure the rendering, not the page cache


def queries_for(product) -> int:
    client = Client()  # a first visit each time: no recently viewed products to show
    url = product.get_absolute_url()
    client.get(url)  # warm caches (sorl's thumbnail store, Wagtail's site lookup)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


def specs(count: int) -> dict:
    kinds = ["text", "integer", "boolean", "float"]
    values = {"text": "Oak", "integer": 40, "boolean": True, "float": 1.5}
    return {(f"spec{i}", f"Spec {i}", kinds[i % 4]): values[kinds[i % 4]] for i in range(count)}


def test_product_page_queries_do_not_grow_with_specifications_and_images():
    small = product_with_specs(title="Small lamp", specs=specs(2), images=1)
    big = product_with_specs(title="Big lamp", specs=specs(8), images=4)

    assert queries_for(small) == queries_for(big)


def test_parent_and_variant_pages_cost_the_same_for_one_or_three_variants():
    one = parent_with_variants(title="Cap", variants=[("12.00", 2)], specs=specs(2))
    three = parent_with_variants(title="Scarf", variants=[("18.50", 3), ("19.50", 0), ("20.50", 1)], specs=specs(8))

    assert queries_for(one) == queries_for(three)
    assert queries_for(one.children.first()) == queries_for(three.children.first())


def test_merchandisers_content_costs_no_query_or_one_per_kind_of_reference_however_many_blocks():
    from tests.support.content import blocks_of_every_kind, published_content

    plain = product_with_specs(title="Plain lamp", specs=specs(2), images=1)
    text_only = product_with_specs(title="Lamp with a story", specs=specs(2), images=1)
    published_content(text_only, [("text", f"<p>Chapter {i}.</p>") for i in range(20)])
    told = product_with_specs(title="Told lamp", specs=specs(2), images=1)
    published_content(told, blocks_of_every_kind(tag="told"))
    long_told = product_with_specs(title="Long-told lamp", specs=specs(2), images=1)
    # Six of every kind, and the first video twice.
    long_blocks = [block for i in range(6) for block in blocks_of_every_kind(tag=f"long{i}", seed=i)]
    published_content(long_told, long_blocks + blocks_of_every_kind(tag="long0"))

    # The content comes with the product's own query; text costs nothing more, and references one query each
    # for the galleries' images, their renditions, the videos' embeds and the documents.
    assert queries_for(text_only) == queries_for(plain)
    assert queries_for(told) == queries_for(long_told) == queries_for(plain) + 4
