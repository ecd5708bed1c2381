"""Orders no payment will settle: canceled, with their stock released, once no payment of them can succeed."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from oscar.core.loading import get_model

from shop.orders import statuses
from shop.orders.services import order_cancel_pending

from ..constants import BANK_TRANSFER, UNFINISHED, UNSUCCESSFUL, PaymentStatus
from ..models import Payment
from .checkout import payment_cancel_quietly
from .sync import payment_sync

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")


def orders_to_cancel(*, now=None) -> list[int]:
    """Orders pending payment past their method's timeout."""
    now = now or timezone.now()
    pending = Order._default_manager.filter(status=statuses.PENDING_PAYMENT).annotate(
        last_attempt=Max("mollie_payments__attempt")
    )
    due = []
    for order in pending.filter(date_placed__lt=now - timedelta(minutes=settings.SHOP_PAYMENT_TIMEOUT_MINUTES)):
        latest = order.mollie_payments.filter(attempt=order.last_attempt).first()
        minutes = settings.SHOP_PAYMENT_TIMEOUT_MINUTES
        if latest is not None and latest.method == BANK_TRANSFER:
            minutes = settings.SHOP_BANKTRANSFER_TIMEOUT_MINUTES
        if order.date_placed < now - timedelta(minutes=minutes):
            due.append(order.pk)
    return due


def order_expire_unpaid(*, order_id: int) -> bool:
    """Cancel an order that waited too long for its payment."""
    return order_cancel_unpaid(order_id=order_id, reason="No successful payment in time; stock released")


def order_abandon(*, order_id: int) -> bool:
    """The shopper gives up paying: cancel the order at once and release its stock. Open payments
    are canceled at Mollie where Mollie allows it; one that is paid anyway is refunded in full."""
    for payment in Payment.objects.filter(order_id=order_id, status__in=UNFINISHED, mollie_id__isnull=False):
        payment_cancel_quietly(payment.mollie_id)
    Payment.objects.filter(order_id=order_id, status__in=UNFINISHED).update(abandoned_at=timezone.now())
    return order_cancel_pending(order_id=order_id, reason="Shopper went back to the basket without paying")


def order_cancel_unpaid(*, order_id: int, reason: str) -> bool:
    """Cancel an order waiting for payment, releasing its stock, once no payment of it can still
    succeed: open payments are canceled at Mollie first. False if one may still be paid, including
    an attempt still on its way to Mollie (the shopper chose "pay again" at the timeout)."""
    for payment in Payment.objects.filter(order_id=order_id, status__in=UNFINISHED, mollie_id__isnull=False):
        payment = payment_sync(payment_id=payment.pk)
        if payment.status == PaymentStatus.OPEN:
            payment_cancel_quietly(payment.mollie_id)
            payment = payment_sync(payment_id=payment.pk)
        if payment.status not in UNSUCCESSFUL:
            logger.info("order %s: payment %s is still %s; not canceling", order_id, payment.mollie_id, payment.status)
            return False
    # Checked again under the order's lock, which claiming a create takes too (checkout._claim_create): an
    # attempt created at Mollie or claimed since the loop above keeps the order.
    with transaction.atomic():
        Order._default_manager.select_for_update().get(pk=order_id)
        now = timezone.now()
        for payment in Payment.objects.filter(order_id=order_id, status__in=UNFINISHED):
            if payment.mollie_id or payment.is_live_create(now):
                logger.info("order %s: payment attempt %s is on its way; not canceling", order_id, payment.attempt)
                return False
        return order_cancel_pending(order_id=order_id, reason=reason)
