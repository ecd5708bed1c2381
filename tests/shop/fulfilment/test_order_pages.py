"""Staff ship from the dashboard; the shopper follows parcels and the timeline on the order page."""

import re
from datetime import timedelta
from html import escape, unescape
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from shop.fulfilment.carriers.base import CarrierEvent, Milestone
from shop.fulfilment.models import Shipment
from shop.fulfilment.services import shipment_create, tracking_events_apply
from shop.notifications.models import OutgoingEmail
from tests.support.orders import paid_order
from tests.support.tasks import run_outbox
from tests.support.users import login, user_with_login

Order = get_model("order", "Order")

pytestmark = pytest.mark.django_db

SHOPPER = "buyer@example.com"


@pytest.fixture
def shoppers_order(client, lamp, mollie):
    """A signed-in shopper's paid order of 4 lamps; `client` stays signed in as the shopper."""
    user_with_login(SHOPPER)
    login(client, SHOPPER)
    return paid_order(client, lamp, quantity=4, guest_email=None)


def staff_client(*permissions):
    staff = Client()
    user_with_login("clerk@example.com", is_staff=True, permissions=("order.view_order", *permissions))
    login(staff, "clerk@example.com")
    return staff


def test_staff_ship_a_parcel_from_the_dashboard_and_the_shopper_follows_it(client, shoppers_order):
    order = shoppers_order
    staff = staff_client("shop_fulfilment.add_shipment")
    line = order.lines.get()
    page = staff.get(f"/shop/dashboard/orders/{order.number}/").content.decode()
    assert 'id="ship-form"' in page and f'name="line_{line.pk}"' in page

    response = staff.post(
        f"/shop/dashboard/orders/{order.number}/shipments/",
        {"carrier": "dhl", "tracking_number": "JJD000390007878", f"line_{line.pk}": "2"},
    )

    assert response.status_code == 302
    shipment = Shipment.objects.get()
    assert (shipment.carrier, shipment.tracking_number, shipment.created_by.email) == (
        "dhl",
        "JJD000390007878",
        "clerk@example.com",
    )
    assert Order.objects.get().status == "Partially shipped"
    mine = client.get(f"/shop/accounts/orders/{order.number}/").content.decode()
    assert "tracking-id=JJD000390007878" in mine
    assert "2 &times; Reading lamp" in mine
    timeline = mine[mine.index('id="order-timeline"') :]
    assert timeline.index("Order placed") < timeline.index("Payment: Paid") < timeline.index("Parcel shipped")


def test_staff_without_the_shipping_permission_cannot_ship(client, shoppers_order):
    order = shoppers_order
    staff = staff_client("order.change_order")
    line = order.lines.get()

    assert 'id="ship-form"' not in staff.get(f"/shop/dashboard/orders/{order.number}/").content.decode()
    response = staff.post(
        f"/shop/dashboard/orders/{order.number}/shipments/",
        {"carrier": "dhl", "tracking_number": "JJD000390007878", f"line_{line.pk}": "4"},
    )

    assert response.status_code == 403
    assert not Shipment.objects.exists() and Order.objects.get().status == "Paid"


def test_a_bad_shipment_form_says_what_is_wrong_and_ships_nothing(client, shoppers_order):
    order = shoppers_order
    staff = staff_client("shop_fulfilment.add_shipment")
    line = order.lines.get()

    response = staff.post(
        f"/shop/dashboard/orders/{order.number}/shipments/",
        {"carrier": "dhl", "tracking_number": "JJD1", f"line_{line.pk}": "5"},
        follow=True,
    )

    assert "Ensure this value is less than or equal to 4." in response.content.decode()
    assert not Shipment.objects.exists()


def test_others_see_no_order_page_and_guests_need_the_signed_link_and_their_email(client, lamp, mollie):
    guest_order = paid_order(client, lamp)  # guest@example.com
    user_with_login("other@example.com")
    other = Client()
    login(other, "other@example.com")
    assert other.get(f"/shop/accounts/orders/{guest_order.number}/").status_code == 404

    for name in ("customer:anon-order", "customer:anon-order-form"):  # no signed link, no page
        forged = reverse(name, args=(guest_order.number, f"{guest_order.number}:forged"))
        assert Client().get(forged).status_code == 404
        assert Client().post(forged, {"email": "guest@example.com"}).status_code == 404
        assert Client().get(reverse(name, args=("999999", guest_order.verification_hash()))).status_code == 404
    signed = reverse("customer:anon-order-form", args=(guest_order.number, guest_order.verification_hash()))
    assert "Order not found" in Client().post(signed, {"email": "other@example.com"}).content.decode()

    guest = Client()
    page = guest.post(signed, {"email": "guest@example.com"}, follow=True)
    assert page.status_code == 200 and 'id="order-timeline"' in page.content.decode()
    assert guest_order.number in page.content.decode()


def count_queries(client, url):
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries), response.content.decode()


def add_parcel(order, number: str, user):
    shipment = shipment_create(
        order_id=order.pk, carrier="postnl", tracking_number=number, quantities={order.lines.get().pk: 1}, user=user
    )
    now = timezone.now()
    events = [
        CarrierEvent(number, milestone, now + timedelta(minutes=i), milestone.value, f"{milestone.value} {number}")
        for i, milestone in enumerate((Milestone.IN_TRANSIT, Milestone.OUT_FOR_DELIVERY, Milestone.DELIVERED), 1)
    ]
    tracking_events_apply(shipment_id=shipment.pk, events=events, source="poll")


def test_order_pages_do_not_grow_with_parcels_and_tracking_events(client, shoppers_order):
    # 1 then 3 of the 4 units shipped: the order stays partly shipped, so the same forms show both times.
    order = shoppers_order
    staff = staff_client("shop_fulfilment.add_shipment")
    clerk = get_user_model().objects.get(email="clerk@example.com")
    mine, dashboard = f"/shop/accounts/orders/{order.number}/", f"/shop/dashboard/orders/{order.number}/"

    add_parcel(order, "3SSHOP0000001", clerk)
    one = count_queries(client, mine)[0], count_queries(staff, dashboard)[0]
    add_parcel(order, "3SSHOP0000002", clerk)
    add_parcel(order, "3SSHOP0000003", clerk)
    shopper_queries, shopper_html = count_queries(client, mine)
    staff_queries, staff_html = count_queries(staff, dashboard)

    assert shopper_html.count('class="parcel ') == 3 and staff_html.count('class="parcel"') == 3
    assert shopper_html.count("delivered 3SSHOP") == 3
    assert (shopper_queries, staff_queries) == one


@pytest.mark.parametrize("carrier, number", [("postnl", "3SSHOP0000001"), ("dhl", "JJD000390007878")])
def test_the_shipped_email_links_to_the_same_tracking_page_as_the_order_page(client, shoppers_order, carrier, number):
    """One place builds a parcel's tracking link (shop/fulfilment/selectors.py): the email and the pages agree."""
    order = shoppers_order
    shipment_create(order_id=order.pk, carrier=carrier, tracking_number=number, quantities={order.lines.get().pk: 1})
    run_outbox()

    mine = client.get(f"/shop/accounts/orders/{order.number}/").content.decode()
    (on_the_page,) = {unescape(href) for href in re.findall(r'href="([^"]+)"[^>]*>' + number, mine)}
    shipped = OutgoingEmail.objects.filter(to=[SHOPPER], subject__contains="on its way").get()
    assert on_the_page in shipped.body and f'href="{escape(on_the_page)}"' in shipped.html_body


def test_only_the_parcel_selector_builds_tracking_links():
    root = Path(__file__).resolve().parents[3]
    callers = [
        str(path.relative_to(root))
        for package in ("shop", "cms", "oscar_forks")
        for path in (root / package).rglob("*.py")
        if ".tracking_url(" in path.read_text()
    ]
    assert callers == ["shop/fulfilment/selectors.py"]
