"""A parent product is priced from its children; a child whose stock record has no price yet is skipped."""

import pytest
from oscar.core.loading import get_model

from tests.support.checkout import product_with_stock

pytestmark = pytest.mark.django_db

Product = get_model("catalogue", "Product")
Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")


def test_a_parent_whose_child_has_no_price_yet_shows_the_priced_childs_price(client):
    priced = product_with_stock(title="Scarf, red", price="18.50")
    parent = Product.objects.create(
        title="Scarf", structure=Product.PARENT, product_class=priced.product_class, is_public=True
    )
    priced.parent, priced.structure, priced.product_class = parent, Product.CHILD, None
    priced.save()
    unpriced = Product.objects.create(title="Scarf, blue", structure=Product.CHILD, parent=parent, is_public=True)
    StockRecord.objects.create(
        product=unpriced, partner=Partner.objects.get(), partner_sku="SKU-BLUE", price=None, num_in_stock=3
    )

    response = client.get(parent.get_absolute_url())

    assert response.status_code == 200
    assert "€18.50" in response.content.decode()
    assert client.get("/shop/catalogue/").status_code == 200
