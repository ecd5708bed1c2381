"""Payments: create one at Mollie for a pending order, learn its state, apply it exactly once.

Rules that keep money safe:
- A payment row (with its idempotency key) is written before Mollie is called, and
  only the request that claims it calls Mollie's create: a double submit makes one payment.
- No row lock is ever held across a call to Mollie: calls happen between short transactions.
- A state change is applied under the order's and the payment's row locks, and only
  if it changes something: five identical webhooks have the effect of one.
- Mollie is the source of truth: the shop learns a status by fetching the payment,
  never from what a webhook or a redirect says.
"""

import logging
import time
import uuid
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from oscar.core.loading import get_model

from shop.http.links import absolute_url
from shop.infrastructure.database import retry_on_dropped_connection
from shop.observability import instruments
from shop.observability.context import log_context_bind, order_context_bind, request_id_get
from shop.orders import statuses
from shop.orders.services import (
    offers_reinstate,
    order_cancel_pending,
    order_close_refunded,
    order_reinstate_allocation,
    order_status_move,
)
from shop.orders.tasks import (
    send_order_confirmation,
    send_payment_receipt,
    send_refund_email,
    send_transfer_instructions,
)
from shop.outbox.services import outbox_enqueue

from . import gateway
from .constants import (
    BANK_TRANSFER,
    EVENT_AUTHORIZED,
    EVENT_CHARGEBACK,
    EVENT_CHARGEBACK_REVERSED,
    EVENT_PAID,
    EVENT_REFUNDED,
    FINAL,
    PAYMENT_MOVES,
    REFUND_ORDER,
    REFUND_VOID,
    UNFINISHED,
    UNSUCCESSFUL,
    PaymentStatus,
    RefundStatus,
    method_name,
    refund_move_allowed,
)
from .errors import ProviderRefused, ProviderUnavailable, RefundNotAllowed
from .models import CREATE_CLAIM_TIMEOUT, SYNC_QUEUE_TIMEOUT, Chargeback, Payment, Refund
from .selectors import order_transfer_deadline

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
PaymentEvent = get_model("order", "PaymentEvent")
PaymentEventType = get_model("order", "PaymentEventType")
Source = get_model("payment", "Source")
SourceType = get_model("payment", "SourceType")

# A refund still unsent this long after it was recorded is sent by the reconcile job.
SEND_GRACE = timedelta(minutes=2)


# --- Starting a payment -------------------------------------------------------------


def payment_for_checkout(*, order_id: int, method: str) -> Payment:
    """The payment the shopper should pay now: the unfinished one for `method`, or a new attempt.

    Called by every submit of the order; under the order's lock, so two submits agree.
    """
    with transaction.atomic():
        order = Order._default_manager.select_for_update().get(pk=order_id)
        order_context_bind(order)
        if order.status != statuses.PENDING_PAYMENT:
            raise ProviderRefused(f"order {order.number} is {order.status}, not waiting for payment")
        latest = order.mollie_payments.order_by("-attempt").first()
        if latest is not None and latest.status in UNFINISHED and latest.method == method:
            return latest
        attempt = (latest.attempt if latest else 0) + 1
        payment = Payment.objects.create(
            order=order,
            attempt=attempt,
            idempotency_key=f"order-{order.number}-payment-{attempt}",
            method=method,
            amount=order.total_incl_tax,
            currency=order.currency,
            request_id=request_id_get(),
        )
        if latest is not None and latest.status in UNFINISHED and latest.mollie_id:
            # The shopper switched methods: the old payment must not be paid as well.
            transaction.on_commit(lambda: _cancel_quietly(latest.mollie_id), robust=True)
    return payment


def order_settle_without_payment(*, order_id: int) -> bool:
    """An order that costs nothing (a voucher paid for all of it) is settled without Mollie."""
    with transaction.atomic():
        order = Order._default_manager.select_for_update().get(pk=order_id)
        if order.status != statuses.PENDING_PAYMENT or order.total_incl_tax != 0:
            return False
        order_status_move(order=order, status=statuses.PAID, note="Nothing to pay")
        _queue_confirmation(order)
    return True


def payment_start(*, payment_id: int, wait: float = 5.0) -> str | None:
    """Create the payment at Mollie (once) and return where to send the shopper.

    The one caller that claims the payment calls Mollie; a concurrent caller waits up
    to `wait` seconds for its result and returns None if it is not there yet.
    Raises ProviderUnavailable / ProviderRefused when Mollie could not create it.
    """
    payment = Payment.objects.select_related("order").get(pk=payment_id)
    _payment_context_bind(payment)
    if payment.checkout_url:
        return payment.checkout_url
    claim = retry_on_dropped_connection(lambda: _claim_create(payment), what=f"payment {payment.pk} claim")
    if claim == CLAIM_CLOSED:
        logger.info("order %s: no longer waiting for payment; %s not created", payment.order.number, payment.pk)
        return None
    if claim == CLAIM_TAKEN:
        return _wait_for_checkout_url(payment_id, wait)
    try:
        remote = gateway.create_payment(_create_data(payment), idempotency_key=payment.idempotency_key)
    except Exception:
        Payment.objects.filter(pk=payment.pk).update(create_claimed_at=None)  # let the next try claim it
        raise
    # The payment exists at Mollie now: losing its id to a dropped connection would strand the shopper
    # (the claim blocks a new create for CREATE_CLAIM_TIMEOUT), so the write gets a second try.
    checkout_url = retry_on_dropped_connection(
        lambda: _record_created(payment, remote), what=f"payment {payment.pk} created as {remote['id']}"
    )
    return checkout_url or None


def _record_created(payment: Payment, remote: dict) -> str:
    checkout_url = ((remote.get("_links") or {}).get("checkout") or {}).get("href", "")
    Payment.objects.filter(pk=payment.pk).update(mollie_id=remote["id"], checkout_url=checkout_url)
    log_context_bind(mollie_id=remote["id"])
    logger.info("order %s: payment %s created at Mollie (%s)", payment.order.number, remote["id"], payment.method)
    payment_apply(payment_id=payment.pk, remote=remote)  # the create answer is the payment's first state
    return checkout_url


def _payment_context_bind(payment: Payment, order=None) -> None:
    """Every later line of this request or task is about this payment (and its order)."""
    log_context_bind(payment_id=payment.pk, mollie_id=payment.mollie_id)
    order = order or (payment.order if payment.order_id else None)
    if order is not None:
        order_context_bind(order)


CLAIM_MADE, CLAIM_TAKEN, CLAIM_CLOSED = "made", "taken", "closed"


def _claim_create(payment: Payment) -> str:
    """Claim the create call, under the order's lock: the timeout job cancels under the same lock, so
    either it sees the claim and waits, or the claim sees the canceled order and nothing is created."""
    now = timezone.now()
    claimable = Q(create_claimed_at__isnull=True) | Q(create_claimed_at__lt=now - CREATE_CLAIM_TIMEOUT)
    with transaction.atomic():
        order = Order._default_manager.select_for_update().get(pk=payment.order_id)
        if order.status != statuses.PENDING_PAYMENT:
            return CLAIM_CLOSED
        claimed = Payment.objects.filter(claimable, pk=payment.pk, mollie_id__isnull=True).update(create_claimed_at=now)
    return CLAIM_MADE if claimed else CLAIM_TAKEN


def _wait_for_checkout_url(payment_id: int, wait: float) -> str | None:
    deadline = time.monotonic() + wait
    while True:
        url = Payment.objects.filter(pk=payment_id).values_list("checkout_url", flat=True).first()
        if url or time.monotonic() >= deadline:
            return url or None
        time.sleep(0.1)


def _create_data(payment: Payment) -> dict:
    order = payment.order
    return {
        "amount": gateway.money(payment.amount, payment.currency),
        "description": f"{settings.SHOP_NAME} order {order.number}",
        "redirectUrl": absolute_url(payment_return_path(order)),
        "webhookUrl": absolute_url(reverse("mollie-webhook")),
        "method": payment.method,
        "metadata": {"order_number": order.number, "payment": payment.idempotency_key},
        "locale": gateway.mollie_locale(),
        **({"billingAddress": _billing_address(order)} if order.shipping_address_id else {}),
        **_due_date(payment),
    }


def _due_date(payment: Payment) -> dict:
    """A bank transfer expires at Mollie on the day the order stops holding its stock, so no
    transfer is accepted long after the stock went back on sale. Mollie takes a date from tomorrow
    to 100 days after tomorrow."""
    if payment.method != BANK_TRANSFER:
        return {}
    deadline = order_transfer_deadline(payment.order)
    tomorrow = timezone.localdate() + timedelta(days=1)
    due = min(max(timezone.localdate(deadline), tomorrow), tomorrow + timedelta(days=100))
    return {"dueDate": due.isoformat()}


def _billing_address(order) -> dict:
    address = order.billing_address or order.shipping_address
    return {
        "givenName": address.first_name,
        "familyName": address.last_name,
        "email": order.email,
        "streetAndNumber": address.line1,
        "postalCode": address.postcode,
        "city": address.line4,
        "country": address.country_id,
    }


def payment_return_path(order) -> str:
    return reverse("checkout:payment-return", kwargs={"number": order.number, "hash": order.verification_hash()})


def _cancel_quietly(mollie_id: str) -> None:
    try:
        gateway.cancel_payment(mollie_id)
    except (ProviderUnavailable, ProviderRefused) as exc:  # not cancelable (any more): the webhook will tell
        logger.info("payment %s could not be canceled: %s", mollie_id, exc)


# --- Learning and applying the state ---------------------------------------------------


def payment_sync_enqueue(*, payment_id: int, now=None) -> bool:
    """Queue a sync for a webhook delivery, unless one is queued and not started: Mollie's retries, and
    anyone replaying an id printed on a receipt, add no outbox row and no Mollie call while one waits.

    The mark and the outbox row commit together in PostgreSQL, so coalescing needs no Redis. A mark
    older than SYNC_QUEUE_TIMEOUT is taken for a lost message and queues again. True if queued.

    The sync logs under the checkout request that started the payment (the webhook's own request id
    is on the webhook's lines, with the payment id)."""
    from .tasks import sync_payment  # tasks import services

    now = now or timezone.now()
    free = Q(sync_queued_at__isnull=True) | Q(sync_queued_at__lt=now - SYNC_QUEUE_TIMEOUT)
    with transaction.atomic():
        if not Payment.objects.filter(free, pk=payment_id).update(sync_queued_at=now):
            return False
        checkout_request = Payment.objects.filter(pk=payment_id).values_list("request_id", flat=True).get()
        outbox_enqueue(actor=sync_payment, args=(payment_id,), request_id=checkout_request or None)
    return True


def payment_sync_from_queue(*, payment_id: int) -> Payment:
    """A queued sync starts: clear the mark first, so news arriving during the fetch queues the next sync."""
    Payment.objects.filter(pk=payment_id).update(sync_queued_at=None)
    return payment_sync(payment_id=payment_id)


def payment_sync(*, payment_id: int) -> Payment:
    """Fetch the payment (and its refunds and chargebacks) from Mollie, then apply what changed."""
    payment = Payment.objects.select_related("order").get(pk=payment_id)
    _payment_context_bind(payment)
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
        _payment_context_bind(payment, order)
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
            _apply_refund(order, payment, data)
        for data in chargebacks:
            _apply_chargeback(order, payment, data)
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
            _record_event(order, EVENT_AUTHORIZED, payment.amount, payment.mollie_id)
            _queue_confirmation(order)
    elif status == PaymentStatus.OPEN and payment.method == BANK_TRANSFER and payment.instructions_sent_at is None:
        outbox_enqueue(actor=send_transfer_instructions, args=(payment.pk,))
    elif status in UNSUCCESSFUL:
        logger.info(
            "order %s: payment %s ended %s; the shopper may choose again", order.number, payment.mollie_id, status
        )


def _on_paid(order, payment: Payment, previous: str) -> None:
    _record_source(order, payment)
    _record_event(order, EVENT_PAID, payment.amount, payment.mollie_id)
    if previous == PaymentStatus.AUTHORIZED:
        # Captured (the order shipped): confirmed at authorization already, so the receipt goes out alone.
        if order.status == statuses.AUTHORIZED:
            order_status_move(order=order, status=statuses.PAID, note=f"Payment {payment.mollie_id} captured")
        outbox_enqueue(actor=send_payment_receipt, args=(order.pk,))
    elif order.status == statuses.PENDING_PAYMENT:
        order_status_move(order=order, status=statuses.PAID, note=f"Paid by {method_name(payment.method)}")
        _queue_confirmation(order)
    elif order.status == statuses.CANCELED and payment.abandoned_at:
        _refund_in_full(order, payment, "Paid after the shopper gave the order up")
    elif order.status == statuses.CANCELED:
        # Paid after the order timed out: take it back if the stock is still there, with the voucher
        # uses and offer counts its cancellation released.
        if order_reinstate_allocation(order=order):
            for problem in offers_reinstate(order=order):
                _needs_attention(order, problem)
            order_status_move(order=order, status=statuses.PAID, note="Paid after cancellation: order reinstated")
            _queue_confirmation(order)
        else:
            instruments.count_at_commit(instruments.stock_conflicts.labels(stage="late_payment"))
            _refund_in_full(order, payment, "Paid after the order was canceled and its stock was gone")
    else:
        _refund_in_full(order, payment, "A second payment for an order already paid")


def _refund_in_full(order, payment: Payment, reason: str) -> None:
    """Give back a payment the order does not need (paid twice, or too late): recorded with the
    change that found it, sent by the payments queue."""
    from .tasks import send_refund  # tasks import services

    refund = Refund.objects.create(
        payment=payment,
        idempotency_key=f"refund-{uuid.uuid4().hex}",
        amount=payment.amount,
        currency=payment.currency,
        description=f"{reason}: refunded automatically"[:255],
    )
    _recount_refunded(payment)
    outbox_enqueue(actor=send_refund, args=(refund.pk,))
    _needs_attention(order, f"{reason} ({payment.mollie_id}): refunded automatically")


def _needs_attention(order, message: str) -> None:
    logger.error("order %s: %s", order.number, message)
    OrderNote._default_manager.create(order=order, note_type=OrderNote.SYSTEM, message=message)


def _queue_confirmation(order) -> None:
    """The order is settled (paid, authorized, or nothing to pay): its confirmation goes out."""
    outbox_enqueue(actor=send_order_confirmation, args=(order.pk,))
    instruments.count_at_commit(instruments.orders_paid)


def _record_event(order, name: str, amount: Decimal, reference: str) -> None:
    event_type, _ = PaymentEventType._default_manager.get_or_create(name=name)
    PaymentEvent._default_manager.create(order=order, event_type=event_type, amount=amount, reference=reference)


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


def _apply_refund(order, payment: Payment, data: dict) -> None:
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
        _record_event(order, EVENT_REFUNDED, refund.amount, refund.mollie_id)
        outbox_enqueue(actor=send_refund_email, args=(refund.pk,))
        source = Source._default_manager.filter(order=order, reference=payment.mollie_id).first()
        if source is not None:
            source.refund(refund.amount, reference=refund.mollie_id, status=status)
        if order.status in statuses.SETTLED and _order_net_paid(order) <= 0:
            order_close_refunded(order=order, note=f"Refunded in full ({refund.mollie_id})")


def _apply_chargeback(order, payment: Payment, data: dict) -> None:
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
        _record_event(order, EVENT_CHARGEBACK, amount, data["id"])
        _needs_attention(
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
        _record_event(order, EVENT_CHARGEBACK_REVERSED, chargeback.amount, chargeback.mollie_id)
        message = f"Chargeback {chargeback.mollie_id} reversed: {chargeback.amount} {chargeback.currency} is back"
        logger.warning("order %s: %s", order.number, message)
        OrderNote._default_manager.create(order=order, note_type=OrderNote.SYSTEM, message=message)


def _recount_charged_back(payment: Payment) -> None:
    """What the banks hold back is the sum of the chargebacks not reversed: derived, never adjusted."""
    total = sum((c.amount for c in payment.chargebacks.filter(reversed_at__isnull=True)), Decimal("0.00"))
    if total != payment.amount_charged_back:
        payment.amount_charged_back = total
        payment.save(update_fields=["amount_charged_back", "updated_at"])


def payment_capture(*, order_id: int) -> Payment | None:
    """Capture an order's authorized payment (pay-later methods charge when the order ships)."""
    payment = Payment.objects.filter(order_id=order_id, status=PaymentStatus.AUTHORIZED).first()
    if payment is None:
        return None
    _payment_context_bind(payment)
    gateway.capture_payment(payment.mollie_id, idempotency_key=f"{payment.idempotency_key}-capture")
    logger.info("order %s: payment %s capture requested", payment.order_id, payment.mollie_id)
    return payment_sync(payment_id=payment.pk)


def order_shipped(*, order) -> None:
    """Hook for the order's move to Shipped (staff, fulfilment): queue the capture of a pay-later payment."""
    if order.mollie_payments.filter(status=PaymentStatus.AUTHORIZED).exists():
        outbox_enqueue(actor=_capture_actor(), args=(order.pk,))


def _capture_actor():
    from .tasks import capture_payment  # tasks import services

    return capture_payment


# --- Refunds ------------------------------------------------------------------------------


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


def refund_send(*, refund_id: int) -> Refund:
    """Send a recorded refund to Mollie (safe to repeat: the idempotency key makes it one refund)."""
    refund = Refund.objects.select_related("payment__order").get(pk=refund_id)
    _payment_context_bind(refund.payment)
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


# --- Housekeeping -----------------------------------------------------------------------------


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
        _cancel_quietly(payment.mollie_id)
    Payment.objects.filter(order_id=order_id, status__in=UNFINISHED).update(abandoned_at=timezone.now())
    return order_cancel_pending(order_id=order_id, reason="Shopper went back to the basket without paying")


def order_cancel_unpaid(*, order_id: int, reason: str) -> bool:
    """Cancel an order waiting for payment, releasing its stock, once no payment of it can still
    succeed: open payments are canceled at Mollie first. False if one may still be paid, including
    an attempt still on its way to Mollie (the shopper chose "pay again" at the timeout)."""
    for payment in Payment.objects.filter(order_id=order_id, status__in=UNFINISHED, mollie_id__isnull=False):
        payment = payment_sync(payment_id=payment.pk)
        if payment.status == PaymentStatus.OPEN:
            _cancel_quietly(payment.mollie_id)
            payment = payment_sync(payment_id=payment.pk)
        if payment.status not in UNSUCCESSFUL:
            logger.info("order %s: payment %s is still %s; not canceling", order_id, payment.mollie_id, payment.status)
            return False
    # Checked again under the order's lock, which claiming a create takes too (_claim_create): an attempt
    # created at Mollie or claimed since the loop above keeps the order.
    with transaction.atomic():
        Order._default_manager.select_for_update().get(pk=order_id)
        now = timezone.now()
        for payment in Payment.objects.filter(order_id=order_id, status__in=UNFINISHED):
            if payment.mollie_id or payment.is_live_create(now):
                logger.info("order %s: payment attempt %s is on its way; not canceling", order_id, payment.attempt)
                return False
        return order_cancel_pending(order_id=order_id, reason=reason)
