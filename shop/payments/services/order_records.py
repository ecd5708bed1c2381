"""What a payment's change leaves on its order: Oscar's payment events, notes for staff, the confirmation."""

import logging
from decimal import Decimal

from oscar.core.loading import get_model

from shop.observability import instruments
from shop.orders.constants import SEND_ORDER_CONFIRMATION
from shop.outbox.services import outbox_enqueue_by_name

logger = logging.getLogger(__name__)

OrderNote = get_model("order", "OrderNote")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")


def order_staff_alert(order, message: str) -> None:
    """Something staff must look at: an ERROR (alerts count these) and a note on the order."""
    logger.error("order %s: %s", order.number, message)
    OrderNote._default_manager.create(order=order, note_type=OrderNote.SYSTEM, message=message)


def order_confirmation_queue(order) -> None:
    """The order is settled (paid, authorized, or nothing to pay): its confirmation goes out."""
    outbox_enqueue_by_name(actor_name=SEND_ORDER_CONFIRMATION, args=(order.pk,))
    instruments.count_at_commit(instruments.orders_paid)


def order_payment_event_record(order, name: str, amount: Decimal, reference: str) -> None:
    """Oscar's payment event (shown on the dashboard's order page) of type `name`."""
    event_type, _ = PaymentEventType._default_manager.get_or_create(name=name)
    PaymentEvent._default_manager.create(order=order, event_type=event_type, amount=amount, reference=reference)
