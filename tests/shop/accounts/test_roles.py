"""Staff roles: each group does its own job in the dashboard and is refused the rest."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from oscar.core.loading import get_model

from shop.accounts.roles import CATALOGUE_MANAGERS, CUSTOMER_SERVICE, FULFILMENT, MERCHANDISERS
from shop.fulfilment.models import Shipment
from shop.payments.models import Refund
from tests.support.orders import paid_order
from tests.support.users import login, user_with_login

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
PaymentEvent = get_model("order", "PaymentEvent")

pytestmark = pytest.mark.django_db


def member_of(group: str, *, is_staff: bool = True) -> Client:
    email = f"{group.lower().replace(' ', '-')}@example.com"
    user = user_with_login(email, is_staff=is_staff, totp=True)
    user.groups.add(Group.objects.get(name=group))
    client = Client()
    login(client, email)
    return client


@pytest.fixture
def order(client, lamp, mollie):
    return paid_order(client, lamp, quantity=2)


def ship(staff, order):
    line = order.lines.get()
    return staff.post(
        f"/shop/dashboard/orders/{order.number}/shipments/",
        {"carrier": "postnl", "tracking_number": "3SROLE000001", f"line_{line.pk}": "2"},
    )


def refund(staff, order):
    return staff.post(f"/shop/dashboard/orders/{order.number}/refunds/", {"amount": "5.00", "reason": "Scratch"})


def change_status(staff, order, status="Processing"):
    return staff.post(
        f"/shop/dashboard/orders/{order.number}/", {"order_action": "change_order_status", "new_status": status}
    )


def note(staff, order):
    return staff.post(
        f"/shop/dashboard/orders/{order.number}/", {"order_action": "save_note", "message": "Called the customer"}
    )


def test_fulfilment_ships_and_moves_orders_but_refunds_nothing_and_edits_no_products(order):
    staff = member_of(FULFILMENT)

    assert change_status(staff, order).status_code == 302
    assert Order.objects.get().status == "Processing"
    assert ship(staff, order).status_code == 302 and Shipment.objects.count() == 1
    assert note(staff, order).status_code == 302 and OrderNote.objects.filter(message="Called the customer").exists()

    assert refund(staff, order).status_code == 403 and not Refund.objects.exists()
    assert staff.get("/shop/dashboard/catalogue/").status_code == 403
    assert staff.get("/shop/dashboard/users/").status_code == 403


def test_fulfilment_moves_orders_in_bulk_as_far_as_the_pipeline_allows(client, lamp, mollie):
    orders = [paid_order(client, lamp) for _ in range(2)]
    staff = member_of(FULFILMENT)

    def bulk(status):
        return staff.post(
            "/shop/dashboard/orders/",
            {"action": "change_order_statuses", "selected_order": [o.pk for o in orders], "new_status": status},
            follow=True,
        )

    assert bulk("Processing").status_code == 200
    assert set(Order.objects.values_list("status", flat=True)) == {"Processing"}
    refused = bulk("Shipped").content.decode()  # parcels ship orders, never a bare status change
    assert "is not valid for this order" in refused
    assert set(Order.objects.values_list("status", flat=True)) == {"Processing"}


def test_customer_service_sees_orders_writes_notes_and_refunds_but_neither_ships_nor_moves_them(order, mollie):
    staff = member_of(CUSTOMER_SERVICE)

    assert staff.get(f"/shop/dashboard/orders/{order.number}/").status_code == 200
    assert note(staff, order).status_code == 302 and OrderNote.objects.filter(message="Called the customer").exists()
    assert refund(staff, order).status_code == 302 and Refund.objects.get().amount == 5

    assert ship(staff, order).status_code == 403 and not Shipment.objects.exists()
    assert change_status(staff, order).status_code == 403
    bulk = staff.post(
        "/shop/dashboard/orders/",
        {"action": "change_order_statuses", "selected_order": [order.pk], "new_status": "Processing"},
    )
    assert bulk.status_code == 403
    assert Order.objects.get().status == "Paid"
    assert staff.get("/shop/dashboard/catalogue/").status_code == 403


def test_catalogue_managers_edit_products_and_stock_and_see_no_orders(order):
    staff = member_of(CATALOGUE_MANAGERS)

    assert staff.get("/shop/dashboard/catalogue/").status_code == 200
    product = order.lines.get().product
    assert staff.get(f"/shop/dashboard/catalogue/products/{product.pk}/").status_code == 200

    assert staff.get("/shop/dashboard/orders/").status_code == 403
    assert staff.get(f"/shop/dashboard/orders/{order.number}/").status_code == 403
    assert ship(staff, order).status_code == 403 and refund(staff, order).status_code == 403


def test_merchandisers_reach_wagtail_only(order):
    editor = member_of(MERCHANDISERS, is_staff=False)

    assert editor.get("/cms/").status_code == 200
    assert editor.get(f"/shop/dashboard/orders/{order.number}/").status_code == 403
    assert ship(editor, order).status_code == 403 and refund(editor, order).status_code == 403


def test_merchandisers_choose_and_upload_images_and_documents(order):
    from wagtail.images.models import Image

    from cms.bootstrap import cms_bootstrap
    from shop.demo.images import draw_picture

    cms_bootstrap(merchandisers=Group.objects.get(name=MERCHANDISERS), publish_legal_pages=False)
    Image.objects.create(title="Autumn hero", file=_png("autumn.png", draw_picture(seed=3)))
    editor = member_of(MERCHANDISERS, is_staff=False)

    assert "Autumn hero" in editor.get("/cms/images/chooser/").content.decode()
    assert editor.get("/cms/images/add/").status_code == 200
    assert editor.get("/cms/documents/chooser/").status_code == 200


def _png(name, content):
    import io

    from django.core.files.images import ImageFile

    return ImageFile(io.BytesIO(content), name=name)


def test_oscars_own_payment_and_shipping_events_are_gone(order):
    staff = member_of(FULFILMENT)
    line = order.lines.get()
    events_before = PaymentEvent.objects.count()

    for action in ("create_payment_event", "create_shipping_event", "change_line_statuses"):
        response = staff.post(
            f"/shop/dashboard/orders/{order.number}/",
            {"line_action": action, "selected_line": [line.pk], f"selected_line_qty_{line.pk}": "1"},
            follow=True,
        )
        assert "Invalid action" in response.content.decode()
    assert PaymentEvent.objects.count() == events_before
    assert not order.shipping_events.exists()


def test_the_delivery_address_changes_with_change_order_and_only_until_a_parcel_ships(order):
    url = f"/shop/dashboard/orders/{order.number}/shipping-address/"
    address = {
        "first_name": "Anna",
        "last_name": "de Vries",
        "line1": "Elsewhere 9",
        "line4": "Utrecht",
        "postcode": "3511 AA",
        "country": "NL",
    }
    service, fulfilment = member_of(CUSTOMER_SERVICE), member_of(FULFILMENT)

    assert service.post(url, address).status_code == 403
    assert fulfilment.post(url, address).status_code == 302
    assert Order.objects.get().shipping_address.line1 == "Elsewhere 9"

    ship(fulfilment, order)
    refused = fulfilment.post(url, {**address, "line1": "Third street 3"}, follow=True)
    assert "the delivery address can no longer change" in refused.content.decode()
    assert Order.objects.get().shipping_address.line1 == "Elsewhere 9"


def test_staff_delete_only_their_own_notes_never_the_systems(order):
    service = member_of(CUSTOMER_SERVICE)
    system = OrderNote.objects.create(order=order, note_type=OrderNote.SYSTEM, message="Refund requested")
    note(service, order)
    mine = OrderNote.objects.get(message="Called the customer")
    colleague = member_of(FULFILMENT)
    detail = f"/shop/dashboard/orders/{order.number}/"

    assert service.post(detail, {"order_action": "delete_note", "note_id": system.pk}).status_code == 403
    assert colleague.post(detail, {"order_action": "delete_note", "note_id": mine.pk}).status_code == 403
    edit = colleague.post(f"{detail}notes/{mine.pk}/", {"order_action": "save_note", "message": "Rewritten"})
    assert edit.status_code == 403
    assert service.post(detail, {"order_action": "delete_note", "note_id": mine.pk}).status_code == 302
    assert not OrderNote.objects.filter(pk=mine.pk).exists()
    assert OrderNote.objects.filter(pk=system.pk).exists()


def test_customer_service_cannot_touch_user_accounts(order):
    service = member_of(CUSTOMER_SERVICE)
    staff_member = user_with_login("colleague@example.com", is_staff=True)

    response = service.post("/shop/dashboard/users/", {"action": "make_inactive", "selected_user": [staff_member.pk]})

    assert response.status_code == 403
    staff_member.refresh_from_db()
    assert staff_member.is_active


def test_taking_unshipped_items_off_needs_change_order(order):
    fulfilment, service = member_of(FULFILMENT), member_of(CUSTOMER_SERVICE)
    line = order.lines.get()
    fulfilment.post(
        f"/shop/dashboard/orders/{order.number}/shipments/",
        {"carrier": "postnl", "tracking_number": "3SPART000001", f"line_{line.pk}": "1"},
    )
    url = f"/shop/dashboard/orders/{order.number}/unshipped/cancel/"
    page = fulfilment.get(f"/shop/dashboard/orders/{order.number}/").content.decode()
    assert 'id="unshipped-cancel-form"' in page

    assert service.post(url, {"reason": "Refunded"}).status_code == 403
    assert "Say why" in fulfilment.post(url, {"reason": " "}, follow=True).content.decode()
    assert Order.objects.get().status == "Partially shipped"
    assert fulfilment.post(url, {"reason": "Refunded"}).status_code == 302
    assert Order.objects.get().status == "Shipped"
