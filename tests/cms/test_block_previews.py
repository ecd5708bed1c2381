"""Editors see each block previewed in the block picker; the product block shows live products."""

import pytest
from django.test import Client

from cms.blocks import HeadingBlock, ProductBlock, ProductListBlock
from tests.support.users import login, user_with_login

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(demo_shop):
    user_with_login("editor@example.com", is_staff=True)
    from django.contrib.auth import get_user_model

    get_user_model().objects.filter(email="editor@example.com").update(is_superuser=True)
    browser = Client()
    login(browser, "editor@example.com")
    return browser


def preview(editor, block) -> str:
    response = editor.get("/cms/block-preview/", {"id": block.definition_prefix})
    assert response.status_code == 200
    return response.content.decode()


def test_the_product_block_previews_the_newest_products_with_live_prices(editor):
    from shop.catalogue.selectors import newest_product_ids

    html = preview(editor, ProductListBlock())

    assert "Bestsellers" in html
    assert html.count('class="product_pod"') == len(newest_product_ids(limit=4)) == 4
    assert "€" in html


def test_a_heading_block_previews_its_sample(editor):
    assert "New in this week" in preview(editor, HeadingBlock())


def test_the_single_product_block_previews_the_newest_product_with_its_price(editor):
    from oscar.core.loading import get_model

    from shop.catalogue.selectors import newest_product_ids

    newest = get_model("catalogue", "Product").objects.get(pk=newest_product_ids(limit=1)[0])
    html = preview(editor, ProductBlock())

    assert html.count('class="product_pod"') == 1 and newest.get_title() in html and "€" in html
