"""Drill: twenty browsers show a product nobody has viewed yet, at once. Each page's call to the visitor
endpoint records the view; the race to create the product's analytics row costs no request a 500."""

import pytest
from django.test import Client
from oscar.core.loading import get_model

from tests.support.checkout import product_with_stock
from tests.support.concurrency import race

ProductRecord = get_model("analytics", "ProductRecord")

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

VIEWERS = 20


@pytest.mark.parametrize("round_", range(3))
def test_twenty_concurrent_first_views_of_a_product_all_answer(round_):
    product = product_with_stock(title=f"New kettle {round_}")

    def view():
        return Client().get(f"/shop/visitor/?product={product.pk}").status_code

    statuses = race([view] * VIEWERS)

    assert statuses == [200] * VIEWERS
    record = ProductRecord.objects.get(product=product)
    assert record.num_views == VIEWERS, "every view counted once"
