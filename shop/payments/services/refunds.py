"""Refunds: the ones staff ask for and the shop sends itself, and what Mollie reports of every refund."""

import logging
import uuid
from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from oscar.core.loading import get_model

from shop.observability import instruments
from shop.observability.context import log_context_bind
from shop.orders import statuses
from shop.orders.constants import SEND_REFUND_EMAIL
from shop.orders.services import order_close_refunded
from shop.outbox.services import outbox_enqueue_by_name

from .. import gateway
from ..constants import EVENT_REFUNDED, REFUND_VOID, SEND_REFUND, PaymentStatus, RefundStatus, refund_move_allowed
from ..errors import ProviderRefused, ProviderUnavailable, RefundNotAllowed
from ..models import Payment, Refund
from .log_context import payment_context_bind
from .order_records import order_payment_event_record, order_staff_alert

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
Source = get_model("payment", "Source")

# A refund still unsent this long after it was recorded is sent by the reconcile job.
SEND_GRACE = timedelta(minutes=2)


def refund_create(*, order_id: int, amount: Decimal, description: str, user) -> Refund:
    """Refund part or all of an order's paid payment at Mollie; never more than is left.

    The refund is recorded (and counted against the payment) under the order's lock, then sent
    by this one caller; if Mollie cannot be reached it stays "created" and `refunds_to_send`
    picks it up. Its idempotency key makes every send of it one refund at Mollie.
    """
    if amount <= 0:
        raise RefundNotAllowed("A refund must be more than zero.")
    with transaction.atomic():
        order = Order._default_manager.select_for_update().get(pk=order_id)
        payment = (
            order.mollie_payments.select_for_update().filter(status=PaymentStatus.PAID).order_by("-attempt").first()
        )
        if payment is None:
            raise RefundNotAllowed(f"Order {order.number} has no paid payment to refund.")
        if amount > payment.refundable:
            raise RefundNotAllowed(
                f"At most {payment.refundable} {payment.currency} can be refunded on order {order.number}."
            )
        refund = Refund.objects.create(
            payment=payment,
            idempotency_key=f"refund-{uuid.uuid4().hex}",
            amount=amount,
            currency=payment.currency,
            description=description[:255],
            created_by=user,
        )
        _recount_refunded(payment)
        OrderNote._default_manager.create(
            order=order,
            user=user,
            note_type=OrderNote.SYSTEM,
            message=f"Refund of {amount} {payment.currency} requested",
        )
    try:
        return refund_send(refund_id=refund.pk)
    except ProviderUnavailable:
        logger.warning("refund %s: Mollie unreachable; it will be sent by the reconcile job", refund.pk)
        return refund


def refund_in_full(order, payment: Payment, reason: str) -> None:
    """Give back a payment the order does not need (paid twice, or too late): recorded with the
    change that found it, sent by the payments queue."""
    refund = Refund.objects.create(
        payment=payment,
        idempotency_key=f"refund-{uuid.uuid4().hex}",
        amount=payment.amount,
        currency=payment.currency,
        description=f"{reason}: refunded automatically"[:255],
    )
    _recount_refunded(payment)
    outbox_enqueue_by_name(actor_name=SEND_REFUND, args=(refund.pk,))
    order_staff_alert(order, f"{reason} ({payment.mollie_id}): refunded automatically")


def refund_send(*, refund_id: int) -> Refund:
    """Send a recorded refund to Mollie (safe to repeat: the idempotency key makes it one refund)."""
    refund = Refund.objects.select_related("payment__order").get(pk=refund_id)
    payment_context_bind(refund.payment)
    log_context_bind(refund_id=refund.pk)
    if refund.mollie_id or refund.status != RefundStatus.CREATED:
        return refund
    data = {
        "amount": gateway.money(refund.amount, refund.currency),
        "description": refund.description or f"Refund for order {refund.payment.order.number}",
        "metadata": {"refund": refund.idempotency_key},
    }
    try:
        remote = gateway.create_refund(refund.payment.mollie_id, data, idempotency_key=refund.idempotency_key)
    except ProviderRefused:
        _refund_record(refund, mollie_id=None, status=RefundStatus.FAILED)
        raise
    refund = _refund_record(refund, mollie_id=remote["id"], status=remote["status"])
    logger.info("refund %s of %s %s sent to Mollie", remote["id"], refund.amount, refund.currency)
    return refund


def _refund_record(refund: Refund, *, mollie_id: str | None, status: str) -> Refund:
    """What Mollie said of a refund we sent, under the order → payment → refund locks."""
    with transaction.atomic():
        Order._default_manager.select_for_update().get(pk=refund.payment.order_id)
        payment = Payment.objects.select_for_update().get(pk=refund.payment_id)
        locked = Refund.objects.select_for_update().get(pk=refund.pk)
        if mollie_id and not locked.mollie_id:
            locked.mollie_id = mollie_id
        if refund_move_allowed(locked.status, status):
            locked.status = status
            instruments.count_at_commit(instruments.refund_status_changes.labels(status=status))
        locked.save(update_fields=["mollie_id", "status", "updated_at"])
        _recount_refunded(payment)
    return locked


def refund_apply(order, payment: Payment, data: dict) -> None:
    """Apply a refund as Mollie lists it for a payment, under the locks payment_apply holds."""
    refund = Refund.objects.select_for_update().filter(mollie_id=data["id"]).first()
    ours = (data.get("metadata") or {}).get("refund")
    if refund is None and ours:  # ours, and the webhook beat refund_send to saving Mollie's id
        refund = Refund.objects.select_for_update().filter(idempotency_key=ours, payment=payment).first()
        if refund is not None:
            refund.mollie_id = data["id"]
            refund.save(update_fields=["mollie_id", "updated_at"])
    if refund is None:  # made in Mollie's dashboard, not ours: record it too
        refund = Refund.objects.create(
            payment=payment,
            idempotency_key=f"mollie-{data['id']}",
            mollie_id=data["id"],
            amount=Decimal(data["amount"]["value"]),
            currency=data["amount"]["currency"],
            description=data.get("description") or "",
            status=RefundStatus.QUEUED,
        )
        _recount_refunded(payment)
    if refund_move_allowed(refund.status, data["status"]):
        _refund_moved(order, payment, refund, data["status"])


def _refund_moved(order, payment: Payment, refund: Refund, status: str) -> None:
    refund.status = status
    refund.save(update_fields=["status", "updated_at"])
    instruments.count_at_commit(instruments.refund_status_changes.labels(status=status))
    _recount_refunded(payment)
    if status == RefundStatus.REFUNDED:
        order_payment_event_record(order, EVENT_REFUNDED, refund.amount, refund.mollie_id)
        outbox_enqueue_by_name(actor_name=SEND_REFUND_EMAIL, args=(refund.pk,))
        source = Source._default_manager.filter(order=order, reference=payment.mollie_id).first()
        if source is not None:
            source.refund(refund.amount, reference=refund.mollie_id, status=status)
        if order.status in statuses.SETTLED and _order_net_paid(order) <= 0:
            order_close_refunded(order=order, note=f"Refunded in full ({refund.mollie_id})")


def _recount_refunded(payment: Payment) -> None:
    """A payment's refunded amount is the sum of its refunds that are not void: derived, never adjusted."""
    total = sum((refund.amount for refund in payment.refunds.exclude(status__in=REFUND_VOID)), Decimal("0.00"))
    if total != payment.amount_refunded:
        payment.amount_refunded = total
        payment.save(update_fields=["amount_refunded", "updated_at"])


def _order_net_paid(order) -> Decimal:
    """What the shopper has paid for the order and kept paid: payments less refunds and chargebacks."""
    return sum(
        (p.amount - p.amount_refunded - p.amount_charged_back for p in order.mollie_payments.filter(status="paid")),
        Decimal("0.00"),
    )


def refunds_to_send(*, now=None) -> list[int]:
    """Refunds recorded but never sent (Mollie was unreachable, or the process stopped)."""
    now = now or timezone.now()
    return list(
        Refund.objects.filter(
            status=RefundStatus.CREATED, mollie_id__isnull=True, created_at__lt=now - SEND_GRACE
        ).values_list("pk", flat=True)[:500]
    )
