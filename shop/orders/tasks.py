"""Order emails, rendered by workers; each actor is safe to run twice."""

import dramatiq

from shop.infrastructure.task_options import MINUTE_MS
from shop.notifications.tasks import EMAIL_TASK

from .emails import (
    order_confirmation_send,
    order_link_send,
    payment_receipt_send,
    refund_email_send,
    transfer_instructions_send,
)


@dramatiq.actor(time_limit=2 * MINUTE_MS, **EMAIL_TASK)
def send_order_confirmation(order_id: int):
    order_confirmation_send(order_id=order_id)


@dramatiq.actor(time_limit=MINUTE_MS, **EMAIL_TASK)
def send_transfer_instructions(payment_id: int):
    transfer_instructions_send(payment_id=payment_id)


@dramatiq.actor(time_limit=2 * MINUTE_MS, **EMAIL_TASK)
def send_refund_email(refund_id: int):
    refund_email_send(refund_id=refund_id)


@dramatiq.actor(time_limit=2 * MINUTE_MS, **EMAIL_TASK)
def send_payment_receipt(order_id: int):
    payment_receipt_send(order_id=order_id)


@dramatiq.actor(time_limit=MINUTE_MS, **EMAIL_TASK)
def send_order_link(number: str, email: str):
    order_link_send(number=number, email=email)
