"""The shopper's emails about a parcel: shipped, out for delivery, delivered, a problem. Each goes out once.

The marker (ShipmentNotice) is written in the same transaction as the stored email,
under the order's row lock, so a task that runs twice sends nothing the second time.
"""

import logging

from django.db import IntegrityError, transaction
from oscar.core.loading import get_model

from shop.fulfilment.models import Shipment, ShipmentNotice
from shop.fulfilment.selectors import order_units_unshipped, shipment_parcel
from shop.observability.context import log_context_bind, order_context_bind

from .emails import order_email_send

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")

Step = ShipmentNotice.Step
CODES = {
    Step.SHIPPED: ("SHIPMENT_SHIPPED", "Parcel shipped"),
    Step.OUT_FOR_DELIVERY: ("SHIPMENT_OUT_FOR_DELIVERY", "Parcel out for delivery"),
    Step.DELIVERED: ("SHIPMENT_DELIVERED", "Parcel delivered"),
    Step.EXCEPTION: ("SHIPMENT_EXCEPTION", "Delivery problem"),
}

# Steps a signed-in customer may choose not to hear about (profile: delivery updates by email). The shipped
# email, with its tracking link, and a delivery problem always go out.
OPTIONAL_STEPS = {Step.OUT_FOR_DELIVERY, Step.DELIVERED}


def shipment_email_send(*, shipment_id: int, step: str) -> bool:
    """Email the shopper that the parcel reached `step`, unless they heard of it before; True if sent now."""
    step = Step(step)
    with transaction.atomic():
        order, shipment = _locked(shipment_id)
        if step in OPTIONAL_STEPS and order.user and not order.user.delivery_updates_by_email:
            logger.info("order %s: the customer asked for no %s emails", order.number, step)
            return False
        try:
            with transaction.atomic():
                ShipmentNotice.objects.create(shipment=shipment, step=step)
        except IntegrityError:
            logger.info("order %s: %s email for parcel %s went out before; not again", order.number, step, shipment)
            return False
        _send(order, shipment, step)
    return True


def shipment_email_resend(*, shipment_id: int, user) -> None:
    """Staff send the parcel's latest email again (its tracking link, where it is); noted on the order."""
    with transaction.atomic():
        order, shipment = _locked(shipment_id)
        latest = shipment.notices.order_by("-sent_at", "-pk").values_list("step", flat=True).first()
        _send(order, shipment, Step(latest or Step.SHIPPED))
        OrderNote._default_manager.create(
            order=order,
            user=user,
            note_type=OrderNote.SYSTEM,
            message=f"Sent the email about parcel {shipment.tracking_number} again to {order.email}.",
        )


def _locked(shipment_id: int):
    order_id = Shipment.objects.values_list("order_id", flat=True).get(pk=shipment_id)
    order = Order._default_manager.select_for_update().get(pk=order_id)
    shipment = Shipment.objects.get(pk=shipment_id)
    order_context_bind(order)
    log_context_bind(parcel_id=shipment.pk, tracking_number=shipment.tracking_number)
    return order, shipment


def _send(order, shipment: Shipment, step: Step) -> None:
    code, name = CODES[step]
    parcel = shipment_parcel(order, shipment)
    context = {
        "step": step.value,
        "shipment": shipment,
        "carrier_name": parcel.carrier_name,
        "tracking_url": parcel.tracking_url,
        "parcel_lines": parcel.lines,
        "is_last_parcel": _all_shipped(order),
        "event": shipment.tracking_events.order_by("-occurred_at", "-pk").first(),
    }
    order_email_send(order=order, code=code, name=name, context=context)


def _all_shipped(order) -> bool:
    return order_units_unshipped(order) == 0
