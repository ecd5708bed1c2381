"""Tracking from carriers over real HTTP: the poll on the `tracking` queue, authenticated and throttled pushes."""

import email

import pytest
from django.test import Client
from oscar.core.loading import get_model

from shop.devtools.carriers import CarrierSimulator
from shop.fulfilment.carriers.base import CarrierUnavailable, Milestone
from shop.fulfilment.models import Shipment, TrackingEvent
from shop.fulfilment.services import shipment_create, shipment_poll, shipments_to_poll
from shop.fulfilment.tasks import poll_open_shipments
from tests.support.orders import paid_order
from tests.support.tasks import run_outbox

Order = get_model("order", "Order")

PARCEL = {"postnl": "3SSHOP0000001", "dhl": "JJD000390007878"}


def subjects(smtp_server) -> list[str]:
    return [email.message_from_bytes(m.content)["Subject"] for m in smtp_server.messages]


def shipped(client, lamp, carrier: str, settle=run_outbox):
    order = paid_order(client, lamp, settle=settle)
    return shipment_create(
        order_id=order.pk, carrier=carrier, tracking_number=PARCEL[carrier], quantities={order.lines.get().pk: 1}
    )


@pytest.mark.django_db
@pytest.mark.parametrize("carrier", ["postnl", "dhl"])
def test_the_poll_follows_the_parcel_to_the_door_and_emails_each_step_once(
    carrier, client, lamp, mollie, carriers, smtp_server
):
    shipment = shipped(client, lamp, carrier)
    number = shipment.order.number
    run_outbox()
    smtp_server.messages.clear()

    carriers.add_event(carrier, PARCEL[carrier], Milestone.IN_TRANSIT)
    shipment_poll(shipment_id=shipment.pk)
    run_outbox()
    assert Order.objects.get().status == "Shipped" and smtp_server.messages == []

    carriers.add_event(carrier, PARCEL[carrier], Milestone.OUT_FOR_DELIVERY)
    shipment_poll(shipment_id=shipment.pk)
    shipment_poll(shipment_id=shipment.pk)  # nothing new the second time
    run_outbox()
    assert Order.objects.get().status == "Out for delivery"
    assert subjects(smtp_server) == [f"Your order {number} arrives today"]

    carriers.add_event(carrier, PARCEL[carrier], Milestone.DELIVERED)
    shipment_poll(shipment_id=shipment.pk)
    run_outbox()
    assert Order.objects.get().status == "Delivered"
    assert subjects(smtp_server)[1:] == [f"Your order {number} has been delivered"]
    assert TrackingEvent.objects.filter(source="poll").count() == 3
    api_key_header = {"postnl": "apikey", "dhl": "DHL-API-Key"}[carrier]
    assert all(request["headers"].get(api_key_header) for request in carriers.requests)


@pytest.mark.django_db
def test_a_carrier_that_cannot_be_reached_is_asked_again_later(client, lamp, mollie, carriers):
    shipment = shipped(client, lamp, "dhl")
    carriers.add_event("dhl", PARCEL["dhl"], Milestone.OUT_FOR_DELIVERY)
    carriers.fail_next("dhl", 503)

    with pytest.raises(CarrierUnavailable):  # the actor's retry asks again
        shipment_poll(shipment_id=shipment.pk)
    assert "carrier unavailable" in Shipment.objects.get().poll_error
    assert Order.objects.get().status == "Shipped"

    shipment_poll(shipment_id=shipment.pk)
    assert Shipment.objects.get().poll_error == "" and Order.objects.get().status == "Out for delivery"


@pytest.mark.django_db
def test_the_schedule_polls_open_parcels_on_the_tracking_queue(client, lamp, mollie, stub_broker, settings):
    settings.SHOP_TRACKING_POLL_MINUTES = 30
    open_parcel = shipped(client, lamp, "postnl")
    delivered = shipped(client, lamp, "dhl")
    Shipment.objects.filter(pk=delivered.pk).update(milestone=Milestone.DELIVERED)

    poll_open_shipments.fn()
    poll_open_shipments.fn()  # a round later, before the worker got to it: nothing new to ask
    queued = stub_broker.queues["tracking"]
    assert queued.qsize() == 1
    message = queued.get_nowait()
    assert b'"poll_shipment"' in message and f"[{open_parcel.pk}]".encode() in message
    assert shipments_to_poll(every_minutes=30) == []


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_push_and_the_poll_bring_the_same_event_once(
    client, lamp, mollie, pushing_carriers, smtp_server, task_worker
):
    shipment = shipped(client, lamp, "postnl", settle=task_worker.wait_idle)
    task_worker.wait_idle()
    smtp_server.messages.clear()

    pushing_carriers.add_event("postnl", PARCEL["postnl"], Milestone.OUT_FOR_DELIVERY, push=True)
    pushing_carriers.push("postnl", PARCEL["postnl"])  # the carrier retries
    shipment_poll(shipment_id=shipment.pk)  # and the schedule polls
    task_worker.wait_idle()

    assert [push["status_code"] for push in pushing_carriers.pushes] == [200, 200]
    assert TrackingEvent.objects.count() == 1 and TrackingEvent.objects.get().source == "push"
    assert Order.objects.get().status == "Out for delivery"
    assert len(smtp_server.messages) == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("carrier", ["postnl", "dhl"])
def test_a_push_without_the_carriers_secret_is_refused(
    carrier, client, lamp, mollie, carriers, live_server, task_worker
):
    shipment = shipped(client, lamp, carrier, settle=task_worker.wait_idle)
    forger = CarrierSimulator(
        push_urls={carrier: f"{live_server.url}/fulfilment/carriers/{carrier}/push/"},
        push_secrets={carrier: "not-the-secret"},
    )
    forger.start()
    try:
        forger.add_event(carrier, PARCEL[carrier], Milestone.DELIVERED, push=True)
    finally:
        forger.stop()

    assert [push["status_code"] for push in forger.pushes] == [401]
    assert not TrackingEvent.objects.exists()
    assert Shipment.objects.get(pk=shipment.pk).milestone == "announced"
    assert Order.objects.get().status == "Shipped"


@pytest.mark.django_db
def test_unreadable_unknown_and_too_many_pushes_get_clear_answers(settings):
    settings.SHOP_CARRIER_PUSH_RATE = 3
    carrier = Client()

    unknown = carrier.post("/fulfilment/carriers/ups/push/", b"{}", content_type="application/json")
    assert unknown.status_code == 404 and "unknown carrier" in unknown.json()["error"]
    unsigned = carrier.post("/fulfilment/carriers/postnl/push/", b"{}", content_type="application/json")
    assert unsigned.status_code == 401 and "X-PostNL-Signature" in unsigned.json()["error"]
    token = settings.SHOP_CARRIERS["dhl"]["PUSH_SECRET"]
    garbled = carrier.post(
        "/fulfilment/carriers/dhl/push/", b"not json", content_type="application/json", HTTP_X_DHL_PUSH_TOKEN=token
    )
    assert garbled.status_code == 400 and "not JSON" in garbled.json()["error"]
    for _ in range(2):  # three pushes a minute from one address are allowed, per carrier
        assert carrier.post("/fulfilment/carriers/dhl/push/", b"{}", content_type="application/json").status_code == 401
    throttled = carrier.post("/fulfilment/carriers/dhl/push/", b"{}", content_type="application/json")
    assert throttled.status_code == 429 and throttled["Retry-After"] == "60"
    assert carrier.get("/fulfilment/carriers/dhl/push/").status_code == 405


@pytest.mark.django_db
def test_pushes_from_one_ipv6_64_share_one_counter(settings):
    settings.SHOP_CARRIER_PUSH_RATE = 3

    def push(address):
        client = Client(REMOTE_ADDR=address)
        return client.post("/fulfilment/carriers/dhl/push/", b"{}", content_type="application/json").status_code

    assert [push(f"2001:db8:9:1::{i}") for i in range(1, 6)] == [401, 401, 401, 429, 429]
    assert push("2001:db8:9:2::1") == 401  # the next /64 is someone else
