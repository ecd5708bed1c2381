"""The shopper's and staff's order pages show payments, refunds and chargebacks in a constant number of queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from shop.bootstrap import reference_data_ensure
from shop.payments.models import Chargeback, Payment, Refund
from tests.support.checkout import basket_with, place_pending, product_with_stock
from tests.support.users import login, user_with_login

pytestmark = pytest.mark.django_db


def add_payment_history(order, attempt):
    payment = Payment.objects.create(
        order=order,
        attempt=attempt,
        idempotency_key=f"k-{order.number}-{attempt}",
        mollie_id=f"tr_test{attempt}",
        method="ideal",
        amount=order.total_incl_tax,
        currency="EUR",
        status="failed" if attempt > 1 else "paid",
    )
    Refund.objects.create(
        payment=payment, idempotency_key=f"r-{attempt}", amount=Decimal("1.00"), currency="EUR", status="refunded"
    )
    Chargeback.objects.create(
        payment=payment, mollie_id=f"chb_{attempt}", amount=Decimal("1.00"), currency="EUR", created_at=timezone.now()
    )


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def test_order_pages_do_not_grow_with_payment_history():
    reference_data_ensure()
    user = user_with_login("history@example.com")
    order = place_pending(basket_with(product_with_stock(title="Vase"), 1, owner=user), user=user).order
    shopper = Client()
    login(shopper, "history@example.com")
    staff = Client()
    user_with_login("clerk@example.com", is_staff=True, permissions=("order.view_order", "order.change_order"))
    login(staff, "clerk@example.com")
    shopper_url = f"/shop/accounts/orders/{order.number}/"
    staff_url = f"/shop/dashboard/orders/{order.number}/"

    add_payment_history(order, 1)
    one_shopper, _ = count_queries(shopper, shopper_url)
    one_staff, _ = count_queries(staff, staff_url)
    for attempt in (2, 3, 4):
        add_payment_history(order, attempt)
    four_shopper, shopper_html = count_queries(shopper, shopper_url)
    four_staff, staff_html = count_queries(staff, staff_url)

    assert shopper_html.count('class="refund"') == 4 and staff_html.count("chb_") == 4
    assert four_shopper == one_shopper
    assert four_staff == one_staff
