"""Pay-later payments (authorized at checkout) are charged when their order ships."""

import logging

from shop.outbox.services import outbox_enqueue_by_name

from .. import gateway
from ..constants import CAPTURE_PAYMENT, PaymentStatus
from ..models import Payment
from .log_context import payment_context_bind
from .sync import payment_sync

logger = logging.getLogger(__name__)


def payment_capture_enqueue(*, order) -> None:
    """A parcel of the order shipped (shop.payments.receivers): queue the capture of a pay-later payment,
    in the shipping transaction."""
    if order.mollie_payments.filter(status=PaymentStatus.AUTHORIZED).exists():
        outbox_enqueue_by_name(actor_name=CAPTURE_PAYMENT, args=(order.pk,))


def payment_capture(*, order_id: int) -> Payment | None:
    """Capture an order's authorized payment (pay-later methods charge when the order ships)."""
    payment = Payment.objects.filter(order_id=order_id, status=PaymentStatus.AUTHORIZED).first()
    if payment is None:
        return None
    payment_context_bind(payment)
    gateway.capture_payment(payment.mollie_id, idempotency_key=f"{payment.idempotency_key}-capture")
    logger.info("order %s: payment %s capture requested", payment.order_id, payment.mollie_id)
    return payment_sync(payment_id=payment.pk)
