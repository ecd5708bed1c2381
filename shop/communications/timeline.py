"""One timeline of an order: what happened to it, its payments, its parcels and the emails about it.

Read from the records each part of the shop keeps (Oscar's status changes, payment
events, communication events and notes; our payments, shipments and carrier events),
in a fixed number of queries whatever the order's size.
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext as _
from oscar.core.loading import get_model

from shop.fulfilment.carriers import carrier_for
from shop.fulfilment.models import Shipment, TrackingEvent
from shop.payments.models import Payment

OrderNote = get_model("order", "OrderNote")


@dataclass(frozen=True)
class Entry:
    at: datetime
    kind: str  # order, payment, shipment, tracking, email, note
    title: str
    detail: str = ""


def order_timeline(order, *, staff: bool = False) -> list[Entry]:
    """Everything that happened to `order`, oldest first. Staff also see notes and who did what."""
    entries = [Entry(order.date_placed, "order", _("Order placed"), _("Order %(number)s") % {"number": order.number})]
    for change in order.status_changes.all():
        entries.append(Entry(change.date_created, "order", _("Status: %(status)s") % {"status": _(change.new_status)}))
    for payment in Payment.objects.filter(order=order).exclude(mollie_id=None):
        entries.append(
            Entry(payment.created_at, "payment", _("Payment started"), payment.get_method_display() or payment.method)
        )
    for event in order.payment_events.select_related("event_type"):
        amount = f"{event.amount:.2f} {order.currency}"
        entries.append(
            Entry(event.date_created, "payment", _("Payment: %(event)s") % {"event": _(event.event_type.name)}, amount)
        )
    carriers = {}
    for shipment in Shipment.objects.filter(order=order):
        carrier = carriers.setdefault(shipment.carrier, carrier_for(shipment.carrier))
        detail = _("%(carrier)s, tracking number %(number)s") % {
            "carrier": carrier.name,
            "number": shipment.tracking_number,
        }
        entries.append(Entry(shipment.created_at, "shipment", _("Parcel shipped"), detail))
    for event in TrackingEvent.objects.filter(shipment__order=order).select_related("shipment"):
        where = f" ({event.location})" if event.location else ""
        entries.append(
            Entry(
                event.occurred_at,
                "tracking",
                event.description or event.get_milestone_display(),
                f"{event.shipment.tracking_number}{where}",
            )
        )
    for email in order.communication_events.select_related("event_type"):
        entries.append(
            Entry(email.date_created, "email", _("Email sent: %(name)s") % {"name": _(email.event_type.name)})
        )
    if staff:
        for note in order.notes.select_related("user"):
            who = note.user.email if note.user else _("system")
            entries.append(Entry(note.date_created, "note", _("Note by %(who)s") % {"who": who}, note.message))
    return sorted(entries, key=lambda entry: entry.at)
