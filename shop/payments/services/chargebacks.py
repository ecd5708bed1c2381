"""Chargebacks as Mollie reports them: the bank took a payment back, or gave it back when the shop won."""

import logging
from decimal import Decimal

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from oscar.core.loading import get_model

from shop.observability import instruments

from ..constants import EVENT_CHARGEBACK, EVENT_CHARGEBACK_REVERSED
from ..models import Chargeback, Payment
from .order_records import order_payment_event_record, order_staff_alert

logger = logging.getLogger(__name__)

OrderNote = get_model("order", "OrderNote")


def chargeback_apply(order, payment: Payment, data: dict) -> None:
    """Apply a chargeback as Mollie lists it for a payment, under the locks payment_apply holds."""
    chargeback = Chargeback.objects.select_for_update().filter(mollie_id=data["id"]).first()
    if chargeback is None:
        amount = Decimal(data["amount"]["value"])
        reason = (data.get("reason") or {}).get("description", "")
        chargeback = Chargeback.objects.create(
            payment=payment,
            mollie_id=data["id"],
            amount=amount,
            currency=data["amount"]["currency"],
            reason=reason,
            created_at=parse_datetime(data["createdAt"]) if data.get("createdAt") else timezone.now(),
        )
        _recount_charged_back(payment)
        instruments.count_at_commit(instruments.chargebacks.labels(event="received"))
        order_payment_event_record(order, EVENT_CHARGEBACK, amount, data["id"])
        order_staff_alert(
            order,
            f"Chargeback {data['id']} of {amount} {data['amount']['currency']}: {reason or 'no reason'}. "
            "The order does not ship unless staff override it.",
        )
    if data.get("reversedAt") and chargeback.reversed_at is None:
        # The shop won the dispute: the money is back, and the order may ship again.
        chargeback.reversed_at = parse_datetime(data["reversedAt"])
        chargeback.save(update_fields=["reversed_at"])
        _recount_charged_back(payment)
        instruments.count_at_commit(instruments.chargebacks.labels(event="reversed"))
        order_payment_event_record(order, EVENT_CHARGEBACK_REVERSED, chargeback.amount, chargeback.mollie_id)
        message = f"Chargeback {chargeback.mollie_id} reversed: {chargeback.amount} {chargeback.currency} is back"
        logger.warning("order %s: %s", order.number, message)
        OrderNote._default_manager.create(order=order, note_type=OrderNote.SYSTEM, message=message)


def _recount_charged_back(payment: Payment) -> None:
    """What the banks hold back is the sum of the chargebacks not reversed: derived, never adjusted."""
    total = sum((c.amount for c in payment.chargebacks.filter(reversed_at__isnull=True)), Decimal("0.00"))
    if total != payment.amount_charged_back:
        payment.amount_charged_back = total
        payment.save(update_fields=["amount_charged_back", "updated_at"])
