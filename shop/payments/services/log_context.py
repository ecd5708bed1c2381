"""The log lines of a request or task that works on a payment say which payment (and order)."""

from shop.observability.context import log_context_bind, order_context_bind

from ..models import Payment


def payment_context_bind(payment: Payment, order=None) -> None:
    """Every later line of this request or task is about this payment (and its order)."""
    log_context_bind(payment_id=payment.pk, mollie_id=payment.mollie_id)
    order = order or (payment.order if payment.order_id else None)
    if order is not None:
        order_context_bind(order)
