"""Shipping an order's lines, and applying what carriers report about the parcels.

An order ships in one or more shipments. Once every line is with a carrier, the
order's status follows its shipments: the least advanced parcel decides, and a
problem with any parcel shows. Each carrier event is stored once (poll and push
may both bring it); only the newest event of a parcel moves it, so an old event
arriving late changes nothing, and the shopper hears of each step once.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from oscar.apps.order.processing import EventHandler
from oscar.core.loading import get_model

from shop.observability import instruments
from shop.observability.context import log_context, log_context_bind, order_context_bind
from shop.orders import statuses
from shop.orders.services import order_status_move
from shop.orders.signals import parcel_shipped
from shop.outbox.services import outbox_enqueue_by_name
from shop.payments.selectors import order_open_chargebacks

from .carriers import carrier_for
from .carriers.base import CarrierEvent, CarrierUnavailable, Milestone, TrackingNotFound
from .constants import NOT_SHIPPED_EVENT, SEND_SHIPMENT_EMAIL, SHIPPED_EVENT
from .errors import ShipmentRefused
from .models import Shipment, ShipmentNotice, TrackingEvent
from .selectors import order_lines_left_to_ship, order_units_unshipped

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
ShippingEventType = get_model("order", "ShippingEventType")
StockRecord = get_model("partner", "StockRecord")

# A step the shopper is emailed about, for a parcel's newest milestone.
NOTIFY = {
    Milestone.OUT_FOR_DELIVERY: ShipmentNotice.Step.OUT_FOR_DELIVERY,
    Milestone.DELIVERED: ShipmentNotice.Step.DELIVERED,
    Milestone.EXCEPTION: ShipmentNotice.Step.EXCEPTION,
}


def tracking_number_clean(value: str) -> str:
    """Carriers print tracking numbers with spaces and in either case; they mean the same parcel."""
    return "".join(value.split()).upper()


# --- Shipping -------------------------------------------------------------------------------


def shipment_create(
    *,
    order_id: int,
    carrier: str,
    tracking_number: str,
    quantities: dict[int, int],
    user=None,
    chargeback_override: bool = False,
) -> Shipment:
    """Ship `quantities` ({order line id: units}) of a paid order in one parcel.

    Records Oscar's shipping event for the lines, consumes their stock allocation,
    moves the order to Partially shipped or Shipped, queues the shopper's email and sends
    parcel_shipped (payments queues the capture of a pay-later payment, in this transaction).
    Raises ShipmentRefused with the reason.
    An order with a chargeback not reversed (the bank took the money back) ships only with
    `chargeback_override`, which is noted on the order with the user.
    """
    try:
        carrier_for(carrier)
    except LookupError as exc:
        raise ShipmentRefused(f"Unknown carrier {carrier!r}.") from exc
    tracking_number = tracking_number_clean(tracking_number)
    if not tracking_number:
        raise ShipmentRefused("Enter the parcel's tracking number.")
    with transaction.atomic():
        order = Order._default_manager.select_for_update().get(pk=order_id)
        order_context_bind(order)
        if order.status not in statuses.SHIPPABLE:
            raise ShipmentRefused(f"Order {order.number} is {order.status}: it cannot be shipped.")
        # Under the order's lock, which applying a chargeback (or its reversal) takes too.
        chargebacks = ", ".join(chargeback.mollie_id for chargeback in order_open_chargebacks(order))
        if chargebacks and not chargeback_override:
            raise ShipmentRefused(
                f"Order {order.number} has an open chargeback ({chargebacks}): the bank took the payment back. "
                "Tick “Ship despite the chargeback” to ship it anyway."
            )
        if Shipment.objects.filter(carrier=carrier, tracking_number=tracking_number).exists():
            raise ShipmentRefused(f"Tracking number {tracking_number} is already used for another parcel.")
        lines, units = _lines_to_ship(order, quantities)
        event_type = _event_type(SHIPPED_EVENT)
        handler = EventHandler(user=user)
        # Lock the stock rows in one order (as placing orders does) before consuming allocations.
        list(
            StockRecord._default_manager.select_for_update()
            .filter(pk__in=[line.stockrecord_id for line in lines])
            .order_by("pk")
        )
        event = handler.create_shipping_event(order, event_type, lines, units, reference=f"{carrier} {tracking_number}")
        # A line whose stock record was deleted since has no allocation left to consume.
        stocked = [(line, count) for line, count in zip(lines, units, strict=True) if line.stockrecord_id]
        if stocked:  # (Oscar takes no lines to mean all of them)
            handler.consume_stock_allocations(order, [line for line, _ in stocked], [count for _, count in stocked])
        try:
            with transaction.atomic():
                shipment = Shipment.objects.create(
                    order=order,
                    shipping_event=event,
                    carrier=carrier,
                    tracking_number=tracking_number,
                    created_by=user if getattr(user, "is_authenticated", False) else None,
                )
        except IntegrityError as exc:  # the same number, saved for another order a moment ago
            raise ShipmentRefused(f"Tracking number {tracking_number} is already used for another parcel.") from exc
        log_context_bind(parcel_id=shipment.pk, tracking_number=tracking_number, carrier=carrier)
        if chargebacks:
            OrderNote._default_manager.create(
                order=order,
                user=user if getattr(user, "is_authenticated", False) else None,
                note_type=OrderNote.SYSTEM,
                message=f"Shipped {tracking_number} despite open chargeback {chargebacks}: "
                f"override by {getattr(user, 'email', None) or 'the system'}",
            )
        name = carrier_for(carrier).name
        _order_follow_shipments(order, note=f"{sum(units)} item(s) handed to {name}, tracking number {tracking_number}")
        parcel_shipped.send(sender=Shipment, order=order, shipment=shipment)  # payments: capture a pay-later payment
        _notify(shipment, ShipmentNotice.Step.SHIPPED)
    logger.info("order %s: shipment %s created (%s units)", order.number, shipment, sum(units))
    return shipment


def _lines_to_ship(order, quantities: dict[int, int]):
    by_id = {
        line.pk: line for line in order.lines.select_related("stockrecord", "product__product_class", "product__parent")
    }
    wanted = {int(pk): int(units) for pk, units in quantities.items() if int(units) > 0}
    if not wanted:
        raise ShipmentRefused("Choose at least one item to ship.")
    units_left = {line.pk: left for line, left in order_lines_left_to_ship(order, lines=by_id.values())}
    lines, units = [], []
    for pk, count in sorted(wanted.items()):
        line = by_id.get(pk)
        if line is None:
            raise ShipmentRefused(f"Line {pk} is not part of order {order.number}.")
        left = units_left.get(pk, 0)
        if count > left:
            raise ShipmentRefused(f"Only {left} of “{line.title}” are left to ship, not {count}.")
        lines.append(line)
        units.append(count)
    return lines, units


def _event_type(name: str):
    return ShippingEventType._default_manager.get_or_create(name=name)[0]


def order_unshipped_cancel(*, order_id: int, reason: str, user=None) -> int:
    """Take the units not yet shipped off a partly shipped order: their stock goes back on the shelf and the
    order follows its parcels alone. Money is a separate step (a refund). Returns the units taken off."""
    with transaction.atomic():
        order = Order._default_manager.select_for_update().get(pk=order_id)
        if order.status != statuses.PARTIALLY_SHIPPED:
            raise ShipmentRefused(
                f"Order {order.number} is {order.status}: only a partly shipped order has items to take off."
            )
        left = order_lines_left_to_ship(
            order, lines=order.lines.select_related("stockrecord").order_by("stockrecord_id")
        )
        handler = EventHandler(user=user)
        handler.create_shipping_event(
            order,
            _event_type(NOT_SHIPPED_EVENT),
            [line for line, _ in left],
            [units for _, units in left],
            reference=reason,
        )
        for line, units in left:
            if line.stockrecord_id:
                line.cancel_allocation(units)
        taken = sum(units for _, units in left)
        _order_follow_shipments(order, note=f"{taken} item(s) will not ship: {reason}")
    logger.info("order %s: %s unshipped item(s) taken off (%s)", order.number, taken, reason)
    return taken


def _order_follow_shipments(order, note: str = "") -> None:
    """Move a locked order to the status its shipments say, never back from Delivered."""
    if order.status in (statuses.DELIVERED, statuses.CANCELED, statuses.REFUNDED):
        return
    status = order_status_for_shipments(order)
    if status:
        order_status_move(order=order, status=status, note=note)


def order_status_for_shipments(order) -> str | None:
    milestones = list(order.shipments.values_list("milestone", flat=True))
    if not milestones:
        return None
    if Milestone.EXCEPTION in milestones:  # a problem with any parcel shows first
        return statuses.DELIVERY_PROBLEM
    if order_units_unshipped(order) > 0:
        return statuses.PARTIALLY_SHIPPED
    if all(m == Milestone.DELIVERED for m in milestones):
        return statuses.DELIVERED
    if all(m in (Milestone.OUT_FOR_DELIVERY, Milestone.DELIVERED) for m in milestones):
        return statuses.OUT_FOR_DELIVERY
    return statuses.SHIPPED


# --- Tracking -------------------------------------------------------------------------------


RANK = {Milestone.ANNOUNCED: 0, Milestone.IN_TRANSIT: 1, Milestone.OUT_FOR_DELIVERY: 2, Milestone.DELIVERED: 3}
TIE_BREAK = {**RANK, Milestone.EXCEPTION: 2.5}


@dataclass(frozen=True)
class Applied:
    stored: int  # events new to us
    moved: bool  # the parcel reached a new milestone


def tracking_events_apply(*, shipment_id: int, events: list[CarrierEvent], source: str) -> Applied:
    """Store the events we have not seen and move the parcel to its newest one, under the order's lock."""
    with transaction.atomic():
        order_id = Shipment.objects.values_list("order_id", flat=True).get(pk=shipment_id)
        order = Order._default_manager.select_for_update().get(pk=order_id)
        shipment = Shipment.objects.get(pk=shipment_id)
        # Scoped: one push may carry parcels of several orders.
        with log_context(order_number=order.number, parcel_id=shipment.pk, tracking_number=shipment.tracking_number):
            known = set(shipment.tracking_events.values_list("fingerprint", flat=True))
            fresh = [event for event in events if event.fingerprint not in known]
            stored = _store(shipment, fresh, source)
            # Carriers stamp to the second: of events at the same moment, a problem or the furthest along is news.
            newest = max(stored, key=lambda event: (event.occurred_at, TIE_BREAK[event.milestone]), default=None)
            moved = newest is not None and _shipment_move(shipment, newest)
            if moved:
                logger.info("order %s: parcel %s is %s (%s)", order.number, shipment, shipment.milestone, source)
                _order_follow_shipments(order, note=f"{carrier_for(shipment.carrier).name}: {newest.description}")
                step = NOTIFY.get(Milestone(shipment.milestone))
                if step:
                    _notify(shipment, step)
    return Applied(stored=len(stored), moved=moved)


def _store(shipment: Shipment, events: list[CarrierEvent], source: str) -> list[CarrierEvent]:
    stored = []
    for event in {event.fingerprint: event for event in events}.values():
        try:
            with transaction.atomic():  # a push racing a poll with the same event: the first wins
                TrackingEvent.objects.create(
                    shipment=shipment,
                    fingerprint=event.fingerprint,
                    milestone=event.milestone,
                    code=event.code[:32],
                    description=event.description[:255],
                    location=event.location[:255],
                    occurred_at=event.occurred_at,
                    source=source,
                )
        except IntegrityError:
            continue
        stored.append(event)
    return stored


def _shipment_move(shipment: Shipment, event: CarrierEvent) -> bool:
    """Move the parcel to its newest event's milestone: forward only, into and out of a problem, and
    never away from delivered. False if it stays where it was."""
    current = Milestone(shipment.milestone)
    if current == Milestone.DELIVERED:
        return False
    if shipment.milestone_at and event.occurred_at < shipment.milestone_at:
        return False  # older than what we know: history, not news
    if event.milestone == current:
        shipment.milestone_at = event.occurred_at
        shipment.save(update_fields=["milestone_at"])
        return False
    moves_on = Milestone.EXCEPTION in (current, event.milestone) or RANK[event.milestone] > RANK[current]
    if not moves_on:
        return False
    shipment.milestone = event.milestone
    shipment.milestone_at = event.occurred_at
    if event.milestone == Milestone.DELIVERED:
        shipment.delivered_at = event.occurred_at
    shipment.save(update_fields=["milestone", "milestone_at", "delivered_at"])
    return True


def _notify(shipment: Shipment, step: str) -> None:
    outbox_enqueue_by_name(actor_name=SEND_SHIPMENT_EMAIL, args=(shipment.pk, str(step)))


def shipment_poll(*, shipment_id: int) -> Applied:
    """Ask the carrier for the parcel's events and apply them. CarrierUnavailable propagates (retry)."""
    shipment = Shipment.objects.select_related("order__shipping_address__country").get(pk=shipment_id)
    order_context_bind(shipment.order)
    log_context_bind(parcel_id=shipment.pk, tracking_number=shipment.tracking_number, carrier=shipment.carrier)
    address = shipment.order.shipping_address
    carrier = carrier_for(shipment.carrier)
    try:
        events = carrier.events(
            shipment.tracking_number,
            postcode=address.postcode if address else "",
            country=address.country_id if address else "",
        )
    except (CarrierUnavailable, TrackingNotFound) as exc:
        error = "not known to the carrier yet" if isinstance(exc, TrackingNotFound) else f"carrier unavailable: {exc}"
        Shipment.objects.filter(pk=shipment_id).update(polled_at=timezone.now(), poll_error=error[:255])
        logger.warning("order %s: tracking poll of %s failed: %s", shipment.order.number, shipment, error)
        outcome = "not_found" if isinstance(exc, TrackingNotFound) else "unavailable"
        instruments.carrier_polls.labels(carrier=shipment.carrier, outcome=outcome).inc()
        if isinstance(exc, CarrierUnavailable):
            raise
        return Applied(stored=0, moved=False)
    instruments.carrier_polls.labels(carrier=shipment.carrier, outcome="ok").inc()
    applied = tracking_events_apply(shipment_id=shipment_id, events=events, source=TrackingEvent.Source.POLL)
    Shipment.objects.filter(pk=shipment_id).update(polled_at=timezone.now(), poll_error="")
    return applied


def shipments_to_poll(*, now=None, every_minutes: int, limit: int = 500) -> list[int]:
    """Open parcels not asked about for `every_minutes`, least recently asked first, marked as asked now
    (a slow worker never gets the same parcel twice). Parcels shipped more than
    SHOP_TRACKING_GIVE_UP_DAYS ago are left alone: lost, returned or mistyped, staff look at them."""
    now = now or timezone.now()
    due = now - timedelta(minutes=every_minutes)
    with transaction.atomic():
        ids = list(
            Shipment.objects.exclude(milestone=Milestone.DELIVERED)
            .filter(created_at__gte=now - timedelta(days=settings.SHOP_TRACKING_GIVE_UP_DAYS))
            .filter(Q(polled_at__isnull=True) | Q(polled_at__lt=due))
            .order_by("polled_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        Shipment.objects.filter(pk__in=ids).update(polled_at=now)
    return ids


def tracking_push_apply(*, carrier: str, events: list[CarrierEvent]) -> int:
    """Apply the events a carrier pushed; return how many were new. Unknown parcels are logged and skipped."""
    by_number: dict[str, list[CarrierEvent]] = {}
    for event in events:
        by_number.setdefault(tracking_number_clean(event.tracking_number), []).append(event)
    shipments = dict(
        Shipment.objects.filter(carrier=carrier, tracking_number__in=by_number).values_list("tracking_number", "pk")
    )
    stored = 0
    # Parcels in one order (their shipments' ids), so two pushes never lock two orders the other way round.
    for number, parcel_events in sorted(by_number.items(), key=lambda item: shipments.get(item[0], 0)):
        if number not in shipments:
            logger.info("%s push for unknown parcel %s ignored", carrier, number)
            continue
        stored += tracking_events_apply(
            shipment_id=shipments[number], events=parcel_events, source=TrackingEvent.Source.PUSH
        ).stored
    return stored
