"""Reads about shipments for pages and emails."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Sum
from oscar.core.loading import get_model

from shop.orders import statuses

from .carriers import carrier_for
from .constants import NOT_SHIPPED_EVENT, SHIPPED_EVENT
from .models import Shipment

ShippingEventQuantity = get_model("order", "ShippingEventQuantity")


@dataclass(frozen=True)
class ParcelLine:
    line: object  # the order line
    quantity: int


def shipment_lines(shipment: Shipment) -> list[ParcelLine]:
    """What is in the parcel: its order lines and how many of each."""
    quantities = shipment.shipping_event.line_quantities.select_related("line")
    return [ParcelLine(line=q.line, quantity=q.quantity) for q in quantities.order_by("line_id")]


@dataclass(frozen=True)
class Parcel:
    shipment: Shipment
    carrier_name: str
    tracking_url: str
    lines: list[ParcelLine]


def order_parcels(order) -> list[Parcel]:
    """An order's shipments for its pages: carrier, tracking link, where the parcel is, what is in it."""
    address = order.shipping_address
    shipments = (
        Shipment.objects.filter(order=order)
        .select_related("created_by")
        .prefetch_related("shipping_event__line_quantities__line")
    )
    parcels = []
    for shipment in shipments:
        lines = [ParcelLine(line=q.line, quantity=q.quantity) for q in shipment.shipping_event.line_quantities.all()]
        parcels.append(_parcel(shipment, address=address, lines=lines))
    return parcels


def shipment_parcel(order, shipment: Shipment) -> Parcel:
    """One parcel of the order, for its emails: as its pages show it, the same tracking link included."""
    return _parcel(shipment, address=order.shipping_address, lines=shipment_lines(shipment))


def _parcel(shipment: Shipment, *, address, lines: list[ParcelLine]) -> Parcel:
    """The one place a parcel's tracking link is built: the carrier's page for the number and the address."""
    carrier = carrier_for(shipment.carrier)
    tracking_url = carrier.tracking_url(
        shipment.tracking_number,
        postcode=address.postcode if address else "",
        country=address.country_id if address else "",
    )
    return Parcel(shipment=shipment, carrier_name=carrier.name, tracking_url=tracking_url, lines=lines)


def order_lines_left_to_ship(order, *, lines: Iterable | None = None) -> list[tuple[object, int]]:
    """(order line, units neither in a parcel nor taken off the order) for each line with units left, in the
    order of `lines` (some of the order's lines, as the caller fetched them; by default all of them)."""
    done = dict(
        ShippingEventQuantity._default_manager.filter(
            event__order=order, event__event_type__name__in=(SHIPPED_EVENT, NOT_SHIPPED_EVENT)
        )
        .values("line_id")
        .annotate(units=Sum("quantity"))
        .values_list("line_id", "units")
    )
    lines = order.lines.all() if lines is None else lines
    left = [(line, line.quantity - done.get(line.pk, 0)) for line in lines]
    return [(line, units) for line, units in left if units > 0]


def order_lines_shippable(order) -> list[tuple[object, int]]:
    """What may go into a parcel now: the lines left to ship of an order whose status allows shipping."""
    return order_lines_left_to_ship(order) if order.status in statuses.SHIPPABLE else []


def order_units_unshipped(order) -> int:
    """Units of the order neither in a parcel nor taken off it."""
    return sum(units for _, units in order_lines_left_to_ship(order))
