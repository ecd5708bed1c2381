"""Two "Place order" submits of one basket at the same moment: one order, one payment at Mollie."""

import pytest
from django.test import Client
from oscar.core.loading import get_model

from shop.bootstrap import reference_data_ensure
from shop.payments.models import Payment
from tests.support.checkout import checkout_to_preview, place_order, product_with_stock
from tests.support.concurrency import race

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("round_", range(10))
def test_a_double_submit_makes_one_order_and_one_payment_create(client, mollie, round_):
    reference_data_ensure()
    lamp = product_with_stock(title=f"Desk lamp {round_}", stock=3)
    checkout_to_preview(client, lamp)
    twin = Client()
    twin.cookies = client.cookies  # the same browser session, two tabs

    responses = race([lambda: place_order(client), lambda: place_order(twin)])

    assert not [r for r in responses if isinstance(r, Exception)], responses
    order = Order.objects.get()
    payment = Payment.objects.get()
    creates = [r for r in mollie.requests if (r["method"], r["path"]) == ("POST", "/v2/payments")]
    assert len(creates) == 1 and mollie.payments_created() == 1
    assert payment.order == order and payment.mollie_id
    # Both tabs go to the same payment (the slower one possibly via the order's waiting page).
    assert {r.status_code for r in responses} == {302}
    assert {r["Location"] for r in responses} <= {
        payment.checkout_url,
        f"/shop/checkout/payment/{order.number}/{order.verification_hash()}/",
    }
