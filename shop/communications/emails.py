"""Emails about an order, each sent exactly once.

They are rendered by workers, never in a request. Each is stored (OutboxEmailBackend)
in the same transaction as the marker that says it went out, under the order's row
lock: a task that runs twice sends nothing the second time. The marker is Oscar's
communication event for one-per-order emails, and the credit note for refund emails.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from oscar.apps.order.utils import OrderDispatcher
from oscar.core.loading import get_model

from shop.fulfilment.delivery import delivery_window
from shop.http.links import absolute_url
from shop.observability.context import order_context_bind
from shop.orders.selectors import guest_order_find
from shop.orders.statuses import SETTLED
from shop.payments.constants import PaymentStatus
from shop.payments.models import Payment, Refund
from shop.payments.selectors import order_transfer_deadline
from shop.pricing.vat import order_vat_summary
from shop.receipts.models import Receipt
from shop.receipts.services import PDF, credit_note_issue, receipt_attachment

logger = logging.getLogger(__name__)


class EmailNotResendable(Exception):
    """The email cannot be sent again for this order; the message says why."""


Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
CommunicationEventType = get_model("communication", "CommunicationEventType")

ORDER_PLACED = "ORDER_PLACED"
TRANSFER_INSTRUCTIONS = "PAYMENT_TRANSFER_INSTRUCTIONS"
REFUNDED = "ORDER_REFUNDED"
RECEIPT = "PAYMENT_RECEIPT"
ORDER_LINK = "ORDER_LINK"
EVENT_NAMES = {
    ORDER_LINK: "Order link",
    RECEIPT: "Payment receipt",
    ORDER_PLACED: "Order confirmation",
    TRANSFER_INSTRUCTIONS: "Bank transfer instructions",
    REFUNDED: "Refund",
}


def order_status_url(order) -> str:
    """Where the shopper sees the order: their account, or a signed link for guests."""
    if order.user_id:
        path = reverse("customer:order", kwargs={"order_number": order.number})
    else:
        path = reverse("customer:anon-order", kwargs={"order_number": order.number, "hash": order.verification_hash()})
    return absolute_url(path)


def order_email_send(
    *, order, code: str, context: dict | None = None, attachments=None, name: str | None = None
) -> None:
    """Render the `code` email for a locked order and store it for delivery, with its communication event
    (named `name`, or as EVENT_NAMES says)."""
    order_context_bind(order)
    CommunicationEventType._default_manager.get_or_create(
        code=code, defaults={"name": name or EVENT_NAMES[code], "category": CommunicationEventType.ORDER_RELATED}
    )
    ctx = {
        "order": order,
        "lines": order.lines.all(),
        "vat": order_vat_summary(order),
        "status_url": order_status_url(order),
        **(context or {}),
    }
    dispatcher = OrderDispatcher(logger=logger)
    messages = dispatcher.dispatcher.get_messages(code, ctx)
    dispatcher.dispatch_order_messages(order, messages, code, attachments=attachments)


def order_email_send_once(*, order_id: int, code: str, context: dict | None = None, attachments=None) -> bool:
    """Send the `code` email unless this order had it before; True if sent now."""
    with transaction.atomic():
        order = Order._default_manager.select_for_update().get(pk=order_id)
        if order.communication_events.filter(event_type__code=code).exists():
            logger.info("order %s: %s email went out before; not again", order.number, code)
            return False
        order_email_send(
            order=order, code=code, context=context, attachments=attachments(order) if callable(attachments) else None
        )
    return True


ORDER_LINK_INTERVAL = timedelta(minutes=15)


def order_link_send(*, number: str, email: str) -> bool:
    """Email a guest order's link to the order's address, asked for on the lookup page with this number
    and address; nothing if they match no guest order, or if the link went out in the last 15 minutes
    (so guessers cannot flood the owner's inbox). True if sent now."""
    found = guest_order_find(number=number, email=email)
    if found is None:
        return False
    with transaction.atomic():
        order = Order._default_manager.select_for_update().get(pk=found.pk)
        since = timezone.now() - ORDER_LINK_INTERVAL
        if order.communication_events.filter(event_type__code=ORDER_LINK, date_created__gte=since).exists():
            logger.info("order %s: order link emailed in the last 15 minutes; not again", order.number)
            return False
        order_email_send(order=order, code=ORDER_LINK)
    return True


def _confirmation_context(order) -> dict:
    settled = (
        Payment.objects.filter(order=order, status__in=[PaymentStatus.PAID, PaymentStatus.AUTHORIZED])
        .order_by("-attempt")
        .first()
    )
    return {
        "paid": bool(settled) and settled.status == PaymentStatus.PAID,
        "payment": settled,
        "delivery_window": delivery_window(order),
    }


def order_confirmation_send(*, order_id: int) -> bool:
    """The one confirmation email of a paid (or authorized) order, with the receipt when paid."""
    context = _confirmation_context(Order._default_manager.get(pk=order_id))
    return order_email_send_once(order_id=order_id, code=ORDER_PLACED, context=context, attachments=receipt_attachment)


def order_confirmation_resend(*, order_id: int, user) -> None:
    """Staff send the confirmation (and receipt) again, e.g. when the shopper lost it; noted on the order."""
    with transaction.atomic():
        order = Order._default_manager.select_for_update().get(pk=order_id)
        if order.status not in SETTLED:
            raise EmailNotResendable(f"Order {order.number} is {order.status}: it has no confirmation to resend.")
        order_email_send(
            order=order, code=ORDER_PLACED, context=_confirmation_context(order), attachments=receipt_attachment(order)
        )
        _note_resent(order, user, "the order confirmation")


def _note_resent(order, user, what: str) -> None:
    OrderNote._default_manager.create(
        order=order, user=user, note_type=OrderNote.SYSTEM, message=f"Sent {what} again to {order.email}."
    )


def payment_receipt_send(*, order_id: int) -> bool:
    """The receipt of a payment captured after the order was confirmed (pay later), once; not at all
    if the confirmation went out after the capture and carried the receipt already."""
    if Receipt.objects.filter(order_id=order_id, kind=Receipt.Kind.RECEIPT, emailed_at__isnull=False).exists():
        return False
    return order_email_send_once(order_id=order_id, code=RECEIPT, attachments=receipt_attachment)


def transfer_instructions_send(*, payment_id: int) -> bool:
    """The bank details of one bank-transfer payment (its reference is its own), sent once per payment."""
    order_id = Payment.objects.filter(pk=payment_id).values_list("order_id", flat=True).get()
    with transaction.atomic():
        order = Order._default_manager.select_for_update().get(pk=order_id)
        payment = Payment.objects.select_for_update().get(pk=payment_id)
        if payment.instructions_sent_at is not None:
            return False
        context = {"payment": payment, "transfer": payment.details or {}, "pay_by": order_transfer_deadline(order)}
        order_email_send(order=order, code=TRANSFER_INSTRUCTIONS, context=context)
        payment.instructions_sent_at = timezone.now()
        payment.save(update_fields=["instructions_sent_at", "updated_at"])
    return True


def refund_email_send(*, refund_id: int) -> bool:
    """The credit note of a completed refund, issued and emailed once (the note marks it sent)."""
    with transaction.atomic():
        refund = Refund.objects.select_related("payment").get(pk=refund_id)
        order = Order._default_manager.select_for_update().get(pk=refund.payment.order_id)
        if Receipt.objects.filter(refund=refund).exists():
            return False
        note = credit_note_issue(refund_id=refund_id)
        with note.pdf.open("rb") as pdf:
            attachment = [note.filename, pdf.read(), PDF]
        order_email_send(
            order=order, code=REFUNDED, context={"refund": refund, "credit_note": note}, attachments=[attachment]
        )
    return True
