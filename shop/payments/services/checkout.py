"""Starting a payment: the one the shopper pays a pending order with, created at Mollie once."""

import logging
import time
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from shop.branding.name import shop_name
from shop.http.links import absolute_url
from shop.infrastructure.database import retry_on_dropped_connection
from shop.observability.context import log_context_bind, order_context_bind, request_id_get
from shop.orders import statuses
from shop.orders.services import order_status_move

from .. import gateway
from ..constants import BANK_TRANSFER, UNFINISHED
from ..errors import ProviderRefused, ProviderUnavailable
from ..models import CREATE_CLAIM_TIMEOUT, Payment
from ..selectors import order_transfer_deadline
from .log_context import payment_context_bind
from .order_records import order_confirmation_queue
from .sync import payment_apply

logger = logging.getLogger(__name__)

Order = get_model("order", "Order")


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
            transaction.on_commit(lambda: payment_cancel_quietly(latest.mollie_id), robust=True)
    return payment


def order_settle_without_payment(*, order_id: int) -> bool:
    """An order that costs nothing (a voucher paid for all of it) is settled without Mollie."""
    with transaction.atomic():
        order = Order._default_manager.select_for_update().get(pk=order_id)
        if order.status != statuses.PENDING_PAYMENT or order.total_incl_tax != 0:
            return False
        order_status_move(order=order, status=statuses.PAID, note="Nothing to pay")
        order_confirmation_queue(order)
    return True


def payment_start(*, payment_id: int, wait: float = 5.0) -> str | None:
    """Create the payment at Mollie (once) and return where to send the shopper.

    The one caller that claims the payment calls Mollie; a concurrent caller waits up
    to `wait` seconds for its result and returns None if it is not there yet.
    Raises ProviderUnavailable / ProviderRefused when Mollie could not create it.
    """
    payment = Payment.objects.select_related("order").get(pk=payment_id)
    payment_context_bind(payment)
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
        "description": f"{shop_name()} order {order.number}",
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


def payment_cancel_quietly(mollie_id: str) -> None:
    """Cancel a payment at Mollie if Mollie still allows it; if not, its webhook tells what became of it."""
    try:
        gateway.cancel_payment(mollie_id)
    except (ProviderUnavailable, ProviderRefused) as exc:  # not cancelable (any more): the webhook will tell
        logger.info("payment %s could not be canceled: %s", mollie_id, exc)
