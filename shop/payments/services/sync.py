"""Learning a payment's state from Mollie (webhook, return page, reconcile job) and applying it exactly once."""

import logging
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from oscar.core.loading import get_model

from shop.observability import instruments
from shop.orders import statuses
from shop.orders.constants import SEND_PAYMENT_RECEIPT, SEND_TRANSFER_INSTRUCTIONS
from shop.orders.services import offers_reinstate, order_reinstate_allocation, order_status_move
from shop.outbox.services import outbox_enqueue_by_name

from .. import gateway
from ..constants import (
    BANK_TRANSFER,
    EVENT_AUTHORIZED,
    EVENT_PAID,
    FINAL,
    PAYMENT_MOVES,
    REFUND_ORDER,
    SYNC_PAYMENT,
    UNFINISHED,
    UNSUCCESSFUL,
    PaymentStatus,
    method_name,
)
from ..models import SYNC_QUEUE_TIMEOUT, Payment
from .chargebacks import chargeback_apply
from .log_context import payment_context_bind
from .order_records import order_confirmation_queue, order_payment_event_record, order_staff_alert
from .refunds import refund_apply, refund_in_full

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")


def payment_sync_enqueue(*, payment_id: int, now=None) -> bool:
    """Queue a sync for a webhook delivery, unless one is queued and not started: Mollie's retries, and
    anyone replaying an id printed on a receipt, add no outbox row and no Mollie call while one waits.

    The mark and the outbox row commit together in PostgreSQL, so coalescing needs no Redis. A mark
    older than SYNC_QUEUE_TIMEOUT is taken for a lost message and queues again. True if queued.

    The sync logs under the checkout request that started the payment (the webhook's own request id
    is on the webhook's lines, with the payment id)."""
    now = now or timezone.now()
    free = Q(sync_queued_at__isnull=True) | Q(sync_queued_at__lt=now - SYNC_QUEUE_TIMEOUT)
    with transaction.atomic():
        if not Payment.objects.filter(free, pk=payment_id).update(sync_queued_at=now):
            return False
        checkout_request = Payment.objects.filter(pk=payment_id).values_list("request_id", flat=True).get()
        outbox_enqueue_by_name(actor_name=SYNC_PAYMENT, args=(payment_id,), request_id=checkout_request or None)
    return True


def payment_sync_from_queue(*, payment_id: int) -> Payment:
    """A queued sync starts: clear the mark first, so news arriving during the fetch queues the next sync."""
    Payment.objects.filter(pk=payment_id).update(sync_queued_at=None)
    return payment_sync(payment_id=payment_id)


def payment_sync(*, payment_id: int) -> Payment:
    """Fetch the payment (and its refunds and chargebacks) from Mollie, then apply what changed."""
    payment = Payment.objects.select_related("order").get(pk=payment_id)
    payment_context_bind(payment)
    if not payment.mollie_id:
        return payment
    remote = gateway.get_payment(payment.mollie_id)
    refunds = gateway.list_refunds(payment.mollie_id) if _has_amount(remote, "amountRefunded") else []
    # A reversal may bring amountChargedBack back to zero: a payment with open chargebacks is asked anyway.
    open_chargebacks = payment.chargebacks.filter(reversed_at__isnull=True).exists()
    chargebacks = (
        gateway.list_chargebacks(payment.mollie_id)
        if open_chargebacks or _has_amount(remote, "amountChargedBack")
        else []
    )
    return payment_apply(payment_id=payment_id, remote=remote, refunds=refunds, chargebacks=chargebacks)


def _has_amount(remote: dict, key: str) -> bool:
    return Decimal((remote.get(key) or {}).get("value", "0")) > 0


def payment_apply(*, payment_id: int, remote: dict, refunds: list[dict] = (), chargebacks: list[dict] = ()) -> Payment:
    """Apply Mollie's view of a payment exactly once, under the order's and the payment's locks."""
    order_id = Payment.objects.filter(pk=payment_id).values_list("order_id", flat=True).get()
    with transaction.atomic():
        order = Order._default_manager.select_for_update().get(pk=order_id)
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        payment_context_bind(payment, order)
        if not _matches(payment, remote):
            return payment
        new_status = remote["status"]
        previous = payment.status
        payment.synced_at = timezone.now()
        moves = new_status in PAYMENT_MOVES[previous]
        if moves:
            payment.status = new_status
            payment.details = remote.get("details") or payment.details
            payment.method = remote.get("method") or payment.method
            if remote.get("paidAt"):
                payment.paid_at = parse_datetime(remote["paidAt"])
        elif new_status != previous and previous in FINAL and new_status in FINAL:
            _final_status_contradicted(order, payment, new_status)
        elif new_status != previous:
            logger.info("payment %s: %s after %s is stale; ignored", payment.mollie_id, new_status, previous)
        payment.save()
        if moves:
            logger.info("order %s: payment %s %s → %s", order.number, payment.mollie_id, previous, new_status)
            _count_status_change(payment, remote)
            _on_status(order, payment, previous)
        for data in refunds:
            refund_apply(order, payment, data)
        for data in chargebacks:
            chargeback_apply(order, payment, data)
    return payment


# Where Mollie says when a payment reached each status (open is applied from the create call's answer).
STATUS_TIMESTAMPS = {
    PaymentStatus.AUTHORIZED: "authorizedAt",
    PaymentStatus.PAID: "paidAt",
    PaymentStatus.CANCELED: "canceledAt",
    PaymentStatus.EXPIRED: "expiredAt",
    PaymentStatus.FAILED: "failedAt",
}


def _count_status_change(payment: Payment, remote: dict) -> None:
    """Count the move, and how long after Mollie recorded it the shop applied it, once it commits."""
    status = payment.status
    instruments.count_at_commit(instruments.payment_status_changes.labels(method=payment.method, status=status))
    at_mollie = parse_datetime(remote.get(STATUS_TIMESTAMPS.get(status), "") or "")
    if at_mollie is not None:
        lag = max((payment.synced_at - at_mollie).total_seconds(), 0.0)
        transaction.on_commit(lambda: instruments.payment_status_lag.labels(status=status).observe(lag))


def _final_status_contradicted(order, payment: Payment, new_status: str) -> None:
    """Mollie reports another final status for a payment that had one (expired, then paid): nothing moves
    (statuses only go forward), but money may have been taken for an order that stopped waiting for it.
    An ERROR every time (alerts count these); one note for staff to check the payment at Mollie."""
    message = (
        f"Mollie reports payment {payment.mollie_id} {new_status} after {payment.status}, a final status: "
        "ignored. Check the payment in Mollie's dashboard and refund or settle the order by hand."
    )
    logger.error("order %s: %s", order.number, message)
    if not OrderNote._default_manager.filter(order=order, note_type=OrderNote.SYSTEM, message=message).exists():
        OrderNote._default_manager.create(order=order, note_type=OrderNote.SYSTEM, message=message)


def _matches(payment: Payment, remote: dict) -> bool:
    """Refuse a remote payment that is not the one we created (id, amount, currency)."""
    amount = remote.get("amount") or {}
    expected = gateway.money(payment.amount, payment.currency)
    if remote.get("mode") != gateway.expected_mode():
        logger.error(
            "payment %s: Mollie reports mode %s with our %s key: refused",
            payment.pk,
            remote.get("mode"),
            gateway.expected_mode(),
        )
        return False
    if remote.get("id") != payment.mollie_id or amount != expected:
        logger.error(
            "payment %s: Mollie reports %s %s for id %s, expected %s %s: refused",
            payment.pk,
            amount.get("value"),
            amount.get("currency"),
            remote.get("id"),
            expected["value"],
            expected["currency"],
        )
        return False
    return True


def _on_status(order, payment: Payment, previous: str) -> None:
    status = payment.status
    if status == PaymentStatus.PAID:
        _on_paid(order, payment, previous)
    elif status == PaymentStatus.AUTHORIZED:
        if order.status == statuses.PENDING_PAYMENT:
            order_status_move(order=order, status=statuses.AUTHORIZED, note=f"Payment {payment.mollie_id} authorized")
            order_payment_event_record(order, EVENT_AUTHORIZED, payment.amount, payment.mollie_id)
            order_confirmation_queue(order)
    elif status == PaymentStatus.OPEN and payment.method == BANK_TRANSFER and payment.instructions_sent_at is None:
        outbox_enqueue_by_name(actor_name=SEND_TRANSFER_INSTRUCTIONS, args=(payment.pk,))
    elif status in UNSUCCESSFUL:
        logger.info(
            "order %s: payment %s ended %s; the shopper may choose again", order.number, payment.mollie_id, status
        )


def _on_paid(order, payment: Payment, previous: str) -> None:
    _record_source(order, payment)
    order_payment_event_record(order, EVENT_PAID, payment.amount, payment.mollie_id)
    if previous == PaymentStatus.AUTHORIZED:
        # Captured (the order shipped): confirmed at authorization already, so the receipt goes out alone.
        if order.status == statuses.AUTHORIZED:
            order_status_move(order=order, status=statuses.PAID, note=f"Payment {payment.mollie_id} captured")
        outbox_enqueue_by_name(actor_name=SEND_PAYMENT_RECEIPT, args=(order.pk,))
    elif order.status == statuses.PENDING_PAYMENT:
        order_status_move(order=order, status=statuses.PAID, note=f"Paid by {method_name(payment.method)}")
        order_confirmation_queue(order)
    elif order.status == statuses.CANCELED and payment.abandoned_at:
        refund_in_full(order, payment, "Paid after the shopper gave the order up")
    elif order.status == statuses.CANCELED:
        # Paid after the order timed out: take it back if the stock is still there, with the voucher
        # uses and offer counts its cancellation released.
        if order_reinstate_allocation(order=order):
            for problem in offers_reinstate(order=order):
                order_staff_alert(order, problem)
            order_status_move(order=order, status=statuses.PAID, note="Paid after cancellation: order reinstated")
            order_confirmation_queue(order)
        else:
            instruments.count_at_commit(instruments.stock_conflicts.labels(stage="late_payment"))
            refund_in_full(order, payment, "Paid after the order was canceled and its stock was gone")
    else:
        refund_in_full(order, payment, "A second payment for an order already paid")


def _record_source(order, payment: Payment) -> None:
    source_type, _ = SourceType._default_manager.get_or_create(name=f"Mollie: {method_name(payment.method)}")
    source = Source._default_manager.create(
        order=order,
        source_type=source_type,
        currency=payment.currency,
        amount_allocated=payment.amount,
        reference=payment.mollie_id,
        label=_source_label(payment),
    )
    source.debit(payment.amount, reference=payment.mollie_id, status=PaymentStatus.PAID)


def _source_label(payment: Payment) -> str:
    details = payment.details or {}
    if details.get("cardNumber"):
        return f"{details.get('cardLabel') or 'Card'} •••• {details['cardNumber'][-4:]}"
    if details.get("consumerAccount"):
        return f"{method_name(payment.method)} {details['consumerAccount'][-4:]}"
    return method_name(payment.method)


def payments_to_reconcile(*, now=None) -> list[int]:
    """Payments still moving that we have not heard of for a while: unfinished ones (the shopper may
    have paid and never come back), authorized ones, and paid ones with a refund under way."""
    now = now or timezone.now()
    stale = now - timedelta(minutes=settings.SHOP_PAYMENT_RECONCILE_AFTER_MINUTES)
    moving = Q(status__in=[*UNFINISHED, PaymentStatus.AUTHORIZED]) | Q(
        status=PaymentStatus.PAID, refunds__status__in=REFUND_ORDER[1:]
    )
    return list(
        Payment.objects.filter(moving, mollie_id__isnull=False)
        .filter(Q(synced_at__lt=stale) | Q(synced_at__isnull=True))
        .values_list("pk", flat=True)
        .distinct()[:500]
    )
