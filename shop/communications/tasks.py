"""Order and parcel emails, rendered by workers; each actor is safe to run twice. The services of the layers
below queue them by name (shop/orders/constants.py, shop/fulfilment/constants.py)."""

import dramatiq

from shop.fulfilment.constants import SEND_SHIPMENT_EMAIL
from shop.infrastructure.task_options import MINUTE_MS
from shop.notifications.tasks import EMAIL_TASK
from shop.orders.constants import (
    SEND_ORDER_CONFIRMATION,
    SEND_ORDER_LINK,
    SEND_PAYMENT_RECEIPT,
    SEND_REFUND_EMAIL,
    SEND_TRANSFER_INSTRUCTIONS,
)

from .emails import (
    order_confirmation_send,
    order_link_send,
    payment_receipt_send,
    refund_email_send,
    transfer_instructions_send,
)
from .shipment_emails import shipment_email_send


@dramatiq.actor(actor_name=SEND_ORDER_CONFIRMATION, time_limit=2 * MINUTE_MS, **EMAIL_TASK)  # queued by this name
def send_order_confirmation(order_id: int):
    order_confirmation_send(order_id=order_id)


@dramatiq.actor(actor_name=SEND_TRANSFER_INSTRUCTIONS, time_limit=MINUTE_MS, **EMAIL_TASK)  # queued by this name
def send_transfer_instructions(payment_id: int):
    transfer_instructions_send(payment_id=payment_id)


@dramatiq.actor(actor_name=SEND_REFUND_EMAIL, time_limit=2 * MINUTE_MS, **EMAIL_TASK)  # queued by this name
def send_refund_email(refund_id: int):
    refund_email_send(refund_id=refund_id)


@dramatiq.actor(actor_name=SEND_PAYMENT_RECEIPT, time_limit=2 * MINUTE_MS, **EMAIL_TASK)  # queued by this name
def send_payment_receipt(order_id: int):
    payment_receipt_send(order_id=order_id)


@dramatiq.actor(actor_name=SEND_ORDER_LINK, time_limit=MINUTE_MS, **EMAIL_TASK)  # queued by this name
def send_order_link(number: str, email: str):
    order_link_send(number=number, email=email)


@dramatiq.actor(actor_name=SEND_SHIPMENT_EMAIL, time_limit=MINUTE_MS, **EMAIL_TASK)  # services queue it by this name
def send_shipment_email(shipment_id: int, step: str):
    shipment_email_send(shipment_id=shipment_id, step=step)
