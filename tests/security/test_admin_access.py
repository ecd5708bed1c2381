"""Django admin is the superusers' tool, and nobody saves an order's status, a payment or stock there."""

import pytest
from oscar.core.loading import get_model

from tests.support.checkout import basket_with, place_pending
from tests.support.users import user_with_login, with_totp

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")


@pytest.fixture
def pending_order(lamp):
    return place_pending(basket_with(lamp, 2)).order


def order_form(order, **changes) -> dict:
    """What the admin's order form posts, with `changes` typed in."""
    return {
        "site": order.site_id or "",
        "user": "",
        "currency": order.currency,
        "status": order.status,
        "guest_email": order.guest_email,
        "date_placed_0": order.date_placed.strftime("%Y-%m-%d"),
        "date_placed_1": order.date_placed.strftime("%H:%M:%S"),
        "lines-TOTAL_FORMS": "0",
        "lines-INITIAL_FORMS": "0",
        **changes,
    }


@pytest.mark.django_db
def test_a_staff_member_with_order_permissions_cannot_open_django_admin_or_mark_an_order_paid(client, pending_order):
    fulfilment = user_with_login(
        "fulfilment@example.com", is_staff=True, permissions=("order.view_order", "order.change_order")
    )
    client.force_login(fulfilment)
    url = f"/django-admin/order/order/{pending_order.pk}/change/"

    for response in (
        client.get("/django-admin/"),
        client.get(url),
        client.post(url, order_form(pending_order, status="Paid")),
    ):
        assert response.status_code == 302 and response["Location"].startswith("/django-admin/login/")
    pending_order.refresh_from_db()
    assert pending_order.status == "Pending payment"


@pytest.mark.django_db
def test_superusers_read_orders_and_stock_in_django_admin_but_cannot_change_them(client, django_user_model, lamp):
    order = place_pending(basket_with(lamp, 2)).order
    root = with_totp(django_user_model.objects.create_superuser(email="root@example.com", password="x" * 16))
    client.force_login(root)
    stock = StockRecord.objects.get(product=lamp)

    page = client.get(f"/django-admin/order/order/{order.pk}/change/")
    assert page.status_code == 200
    assert order.number in page.content.decode()
    assert 'name="status"' not in page.content.decode(), "the status is shown, not editable"

    assert (
        client.post(f"/django-admin/order/order/{order.pk}/change/", order_form(order, status="Paid")).status_code
        == 403
    )
    stock_form = {
        "product": lamp.pk,
        "partner": stock.partner_id,
        "partner_sku": stock.partner_sku,
        "price": "0.01",
        "num_in_stock": "5",
        "num_allocated": "0",
    }
    assert client.post(f"/django-admin/partner/stockrecord/{stock.pk}/change/", stock_form).status_code == 403
    assert client.post(f"/django-admin/order/order/{order.pk}/delete/", {"post": "yes"}).status_code == 403

    order.refresh_from_db()
    stock.refresh_from_db()
    assert order.status == "Pending payment"
    assert (stock.price, stock.num_allocated) == (lamp.stockrecords.get().price, 2)


@pytest.mark.django_db
def test_superusers_still_run_the_outbox_emails_and_users_in_django_admin(client, django_user_model):
    root = with_totp(django_user_model.objects.create_superuser(email="root@example.com", password="x" * 16))
    client.force_login(root)

    index = client.get("/django-admin/").content.decode()

    for changelist in (
        "/django-admin/outbox/",
        "/django-admin/notifications/outgoingemail/",
        "/django-admin/accounts/user/",
    ):
        assert changelist in index
    assert client.get("/django-admin/accounts/user/add/").status_code == 200
