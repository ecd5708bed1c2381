"""A receipt is the order owner's (and staff's): everyone else gets 404; it never sits under MEDIA_URL."""

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from shop.receipts.services import document_number_next, receipt_issue
from tests.support.checkout import checkout_to_preview, pay_at_mollie, place_order, product_with_stock
from tests.support.users import login, user_with_login, with_totp

pytestmark = pytest.mark.django_db


@pytest.fixture
def receipt(client, mollie):
    from shop.bootstrap import reference_data_ensure

    reference_data_ensure()
    user_with_login("owner@example.com")
    login(client, "owner@example.com")
    checkout_to_preview(client, product_with_stock(title="Kettle", price="39.95"), guest_email=None)
    return_path = pay_at_mollie(place_order(client)["Location"])
    client.get(return_path)  # the return page learns "paid"
    from oscar.core.loading import get_model

    return receipt_issue(order_id=get_model("order", "Order").objects.get().pk)


def url(receipt):
    return f"/shop/receipts/{receipt.number}/"


def test_the_owner_downloads_the_pdf(client, receipt):
    response = client.get(url(receipt))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert f'filename="{receipt.filename}"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_shopper_and_an_anonymous_visitor_get_404(receipt):
    anonymous = Client()
    other = Client()
    user_with_login("nosy@example.com")
    login(other, "nosy@example.com")

    assert anonymous.get(url(receipt)).status_code == 404
    assert other.get(url(receipt)).status_code == 404
    assert other.get(url(receipt) + f"?h={receipt.order.verification_hash()}").status_code == 404  # users' orders
    assert anonymous.get("/shop/receipts/2026-999999/").status_code == 404


def test_staff_who_may_see_orders_download_it(receipt):
    staff = Client()
    user_with_login("clerk@example.com", is_staff=True, permissions=("order.view_order",))
    login(staff, "clerk@example.com")

    assert staff.get(url(receipt)).status_code == 200


def test_staff_without_their_second_factor_get_404_until_they_set_it_up(receipt):
    """Receipt numbers run in sequence: a password alone must not open every customer's receipt."""
    clerk = user_with_login("clerk@example.com", is_staff=True, totp=False, permissions=("order.view_order",))
    staff = Client()
    login(staff, "clerk@example.com")

    assert staff.get(url(receipt)).status_code == 404

    with_totp(clerk)
    assert staff.get(url(receipt)).status_code == 200


def test_the_file_lives_outside_media_root(receipt):
    assert not receipt.pdf.path.startswith(str(settings.MEDIA_ROOT))
    assert receipt.pdf.path.startswith(str(settings.PRIVATE_MEDIA_ROOT))
    with pytest.raises(NotImplementedError):
        receipt.pdf.url  # no URL exists for a private file  # noqa: B018


def test_the_shoppers_order_page_links_the_receipt(client, receipt):
    page = client.get(f"/shop/accounts/orders/{receipt.order.number}/")

    assert f'href="{url(receipt)}"'.encode() in page.content


def test_numbers_are_consecutive_without_gaps(client, receipt, mollie):
    year = receipt.number.split("-")[0]
    with pytest.raises(RuntimeError), transaction.atomic():  # a receipt that failed after taking its number
        document_number_next(series=f"receipt-{year}")
        raise RuntimeError("rendering failed")
    checkout_to_preview(client, product_with_stock(title="Toaster", price="29.95"), guest_email=None)
    client.get(pay_at_mollie(place_order(client)["Location"]))
    from oscar.core.loading import get_model

    second = receipt_issue(order_id=get_model("order", "Order").objects.order_by("-pk").first().pk)
    year, first_number = receipt.number.split("-")

    assert second.number == f"{year}-{int(first_number) + 1:06d}"
    assert receipt_issue(order_id=receipt.order_id) == receipt  # issuing again returns the same receipt
