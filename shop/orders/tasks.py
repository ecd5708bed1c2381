"""Order emails, rendered by workers; each actor is safe to run twice."""

import dramatiq

from .emails import (
    order_confirmation_send,
    order_link_send,
    payment_receipt_send,
    refund_email_send,
    transfer_instructions_send,
)

DAY_MS = 24 * 60 * 60 * 1000
# A failure before the email is stored (rendering, the PDF) is logged by Dramatiq on every attempt,
# with the order id; once stored, the email's own delivery task and its failed state take over.
EMAIL_TASK = {
    "queue_name": "emails",
    "max_retries": 12,
    "min_backoff": 5_000,
    "max_backoff": 3_600_000,
    "max_age": 3 * DAY_MS,
}


@dramatiq.actor(time_limit=120_000, **EMAIL_TASK)
def send_order_confirmation(order_id: int):
    order_confirmation_send(order_id=order_id)


@dramatiq.actor(time_limit=60_000, **EMAIL_TASK)
def send_transfer_instructions(payment_id: int):
    transfer_instructions_send(payment_id=payment_id)


@dramatiq.actor(time_limit=120_000, **EMAIL_TASK)
def send_refund_email(refund_id: int):
    refund_email_send(refund_id=refund_id)


@dramatiq.actor(time_limit=120_000, **EMAIL_TASK)
def send_payment_receipt(order_id: int):
    payment_receipt_send(order_id=order_id)


@dramatiq.actor(time_limit=60_000, **EMAIL_TASK)
def send_order_link(number: str, email: str):
    order_link_send(number=number, email=email)
