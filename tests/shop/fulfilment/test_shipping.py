"""Staff ship a paid order in one or more parcels; what the carrier reports moves it on, once."""

import email
from datetime import timedelta

import pytest
from django.utils import timezone
from oscar.core.loading import get_model

from shop.fulfilment.carriers.base import CarrierEvent, Milestone
from shop.fulfilment.errors import ShipmentRefused
from shop.fulfilment.models import Shipment, TrackingEvent
from shop.fulfilment.services import shipment_create, tracking_events_apply
from tests.support.checkout import checkout_to_preview, place_order
from tests.support.orders import paid_order
from tests.support.tasks import run_outbox

Order = get_model("order", "Order")
StockRecord = get_model("partner", "StockRecord")

pytestmark = pytest.mark.django_db


def subjects(smtp_server) -> list[str]:
    return [email.message_from_bytes(m.content)["Subject"] for m in smtp_server.messages]


def ship(order, *, units: int | None = None, number: str = "3SSHOP0000001", carrier: str = "postnl"):
    line = order.lines.get()
    return shipment_create(
        order_id=order.pk, carrier=carrier, tracking_number=number, quantities={line.pk: units or line.quantity}
    )


def event(shipment, milestone: Milestone, minutes: int, description: str = "") -> CarrierEvent:
    return CarrierEvent(
        tracking_number=shipment.tracking_number,
        milestone=milestone,
        occurred_at=timezone.now() + timedelta(minutes=minutes),
        code=milestone.value.upper(),
        description=description or milestone.value.replace("_", " "),
    )


def test_shipping_a_paid_order_consumes_its_stock_and_emails_the_tracking_link(client, lamp, mollie, smtp_server):
    order = paid_order(client, lamp, quantity=2)
    smtp_server.messages.clear()

    shipment = ship(order, number="3s shop 000 0001")

    order.refresh_from_db()
    assert order.status == "Shipped"
    assert shipment.tracking_number == "3SSHOP0000001"
    record = StockRecord.objects.get(product=lamp)
    assert (record.num_in_stock, record.num_allocated) == (3, 0)  # 5 in stock, 2 left with the parcel
    assert [(q.line_id, q.quantity) for q in shipment.shipping_event.line_quantities.all()] == [
        (order.lines.get().pk, 2)
    ]
    run_outbox()
    assert subjects(smtp_server) == [f"Your order {order.number} is on its way"]
    body = smtp_server.messages[0].content.decode()
    assert "https://jouw.postnl.nl/track-and-trace/3SSHOP0000001-NL-1012LG" in body
    assert "2 × Reading lamp" in body


def test_an_order_ships_in_parcels_and_no_line_ships_twice(client, lamp, mollie, smtp_server):
    order = paid_order(client, lamp, quantity=3)

    ship(order, units=1, number="3SSHOP0000001")
    assert Order.objects.get().status == "Partially shipped"
    with pytest.raises(ShipmentRefused, match="Only 2 of “Reading lamp” are left to ship"):
        ship(order, units=3, number="3SSHOP0000002")
    assert Shipment.objects.count() == 1

    ship(order, units=2, number="3SSHOP0000002")
    assert Order.objects.get().status == "Shipped"
    assert StockRecord.objects.get(product=lamp).num_allocated == 0
    with pytest.raises(ShipmentRefused, match="cannot be shipped"):
        ship(order, units=1, number="3SSHOP0000003")


def test_an_unpaid_order_cannot_ship_and_a_tracking_number_is_used_once(client, lamp, mollie):
    checkout_to_preview(client, lamp)
    place_order(client)
    unpaid = Order.objects.get()
    with pytest.raises(ShipmentRefused, match="Pending payment"):
        ship(unpaid)

    order = paid_order(client, lamp)
    ship(order, number="JVGL0001")
    other = paid_order(client, lamp)
    with pytest.raises(ShipmentRefused, match="already used"):
        ship(other, number="jvgl 0001", carrier="postnl")
    ship(other, number="JVGL0001", carrier="dhl")  # another carrier's number space
    assert Order.objects.get(pk=other.pk).status == "Shipped"


def test_each_step_moves_the_order_and_emails_once_however_often_it_arrives(client, lamp, mollie, smtp_server):
    order = paid_order(client, lamp)
    shipment = ship(order)
    run_outbox()
    smtp_server.messages.clear()
    out = event(shipment, Milestone.OUT_FOR_DELIVERY, 60, "Bezorger is onderweg")
    delivered = event(shipment, Milestone.DELIVERED, 120, "Zending afgeleverd")

    for _ in range(3):  # the poll and pushes bring the same event
        tracking_events_apply(shipment_id=shipment.pk, events=[out], source="push")
    run_outbox()
    assert Order.objects.get().status == "Out for delivery"
    assert subjects(smtp_server) == [f"Your order {order.number} arrives today"]

    applied = tracking_events_apply(shipment_id=shipment.pk, events=[out, delivered], source="poll")
    again = tracking_events_apply(shipment_id=shipment.pk, events=[out, delivered], source="push")
    run_outbox()
    assert (applied.stored, again.stored, again.moved) == (1, 0, False)
    assert TrackingEvent.objects.count() == 2
    assert Order.objects.get().status == "Delivered"
    assert subjects(smtp_server)[1:] == [f"Your order {order.number} has been delivered"]


def test_an_old_event_arriving_late_changes_nothing(client, lamp, mollie, smtp_server):
    order = paid_order(client, lamp)
    shipment = ship(order)
    tracking_events_apply(
        shipment_id=shipment.pk, events=[event(shipment, Milestone.OUT_FOR_DELIVERY, 60)], source="push"
    )

    late = tracking_events_apply(
        shipment_id=shipment.pk, events=[event(shipment, Milestone.IN_TRANSIT, 30)], source="poll"
    )

    assert (late.stored, late.moved) == (1, False)  # kept as history, not news
    assert Shipment.objects.get().milestone == "out_for_delivery"
    assert Order.objects.get().status == "Out for delivery"


def test_a_delivery_problem_shows_and_clears_when_the_parcel_arrives(client, lamp, mollie, smtp_server):
    order = paid_order(client, lamp)
    shipment = ship(order)
    run_outbox()
    smtp_server.messages.clear()

    tracking_events_apply(
        shipment_id=shipment.pk, events=[event(shipment, Milestone.EXCEPTION, 60, "Nobody home")], source="poll"
    )
    run_outbox()
    assert Order.objects.get().status == "Delivery problem"
    assert subjects(smtp_server) == [f"A problem with the delivery of your order {order.number}"]
    assert "Nobody home" in smtp_server.messages[0].content.decode()

    tracking_events_apply(shipment_id=shipment.pk, events=[event(shipment, Milestone.DELIVERED, 120)], source="poll")
    assert Order.objects.get().status == "Delivered"


def test_an_order_in_two_parcels_is_delivered_when_both_are(client, lamp, mollie):
    order = paid_order(client, lamp, quantity=2)
    first = ship(order, units=1, number="3SSHOP0000001")
    second = ship(order, units=1, number="3SSHOP0000002")

    tracking_events_apply(shipment_id=first.pk, events=[event(first, Milestone.DELIVERED, 60)], source="poll")
    assert Order.objects.get().status == "Shipped"
    tracking_events_apply(shipment_id=second.pk, events=[event(second, Milestone.OUT_FOR_DELIVERY, 60)], source="poll")
    assert Order.objects.get().status == "Out for delivery"
    tracking_events_apply(shipment_id=second.pk, events=[event(second, Milestone.DELIVERED, 90)], source="poll")
    assert Order.objects.get().status == "Delivered"


def test_a_line_whose_stock_record_was_deleted_still_ships(client, lamp, mollie):
    order = paid_order(client, lamp)
    StockRecord.objects.filter(product=lamp).delete()  # a catalogue manager removed it meanwhile

    ship(order)

    assert Order.objects.get().status == "Shipped"


def test_a_problem_with_one_parcel_shows_while_the_rest_waits_to_ship(client, lamp, mollie):
    order = paid_order(client, lamp, quantity=2)
    first = ship(order, units=1)

    tracking_events_apply(shipment_id=first.pk, events=[event(first, Milestone.EXCEPTION, 10)], source="poll")

    assert Order.objects.get().status == "Delivery problem"


def test_the_poll_leaves_old_parcels_alone_and_asks_about_each_parcel_once_per_round(client, lamp, mollie, settings):
    from shop.fulfilment.services import shipments_to_poll

    settings.SHOP_TRACKING_GIVE_UP_DAYS = 30
    recent = ship(paid_order(client, lamp), number="3SRECENT0001")
    old = ship(paid_order(client, lamp), number="3SOLD0000001")
    Shipment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=31))

    assert shipments_to_poll(every_minutes=30) == [recent.pk]
    assert shipments_to_poll(every_minutes=30) == []  # queued a moment ago: not again this round


def test_staff_take_the_unshipped_rest_off_a_partly_shipped_order(client, lamp, mollie):
    from shop.fulfilment.selectors import order_lines_left_to_ship
    from shop.fulfilment.services import order_unshipped_cancel

    order = paid_order(client, lamp, quantity=3)
    ship(order, units=1)
    with pytest.raises(ShipmentRefused, match="only a partly shipped order"):
        order_unshipped_cancel(order_id=paid_order(client, lamp).pk, reason="test")

    taken = order_unshipped_cancel(order_id=order.pk, reason="Out of stock")

    assert taken == 2
    record = StockRecord.objects.get(product=lamp)
    assert (record.num_in_stock, record.num_allocated) == (4, 1)  # 1 shipped; the other paid order holds 1
    order = Order.objects.get(pk=order.pk)
    assert order.status == "Shipped" and order_lines_left_to_ship(order) == []
    assert order.notes.filter(message="2 item(s) will not ship: Out of stock").exists()


def test_a_customer_who_wants_no_delivery_updates_still_gets_the_tracking_link(client, lamp, mollie, smtp_server):
    from tests.support.users import login, user_with_login

    shopper = user_with_login("quiet@example.com")
    shopper.delivery_updates_by_email = False
    shopper.save(update_fields=["delivery_updates_by_email"])
    login(client, "quiet@example.com")
    order = paid_order(client, lamp)
    assert order.user == shopper
    smtp_server.messages.clear()

    shipment = ship(order)
    out = event(shipment, Milestone.OUT_FOR_DELIVERY, 60)
    delivered = event(shipment, Milestone.DELIVERED, 120)
    tracking_events_apply(shipment_id=shipment.pk, events=[out], source="poll")
    run_outbox()
    tracking_events_apply(shipment_id=shipment.pk, events=[out, delivered], source="poll")
    run_outbox()

    assert Order.objects.get().status == "Delivered"
    assert subjects(smtp_server) == [f"Your order {order.number} is on its way"]
