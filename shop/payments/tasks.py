"""Payment work off the request: thin actors that take ids and call services; each is safe to run twice.

Services never import this module: they queue the actors they need by name (outbox_enqueue_by_name).
"""

import dramatiq
from dramatiq_crontab import cron

from shop.infrastructure.task_options import DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS

from .constants import CAPTURE_PAYMENT, SEND_REFUND, SYNC_PAYMENT
from .services.capture import payment_capture
from .services.refunds import refund_send, refunds_to_send
from .services.sync import payment_sync_from_queue, payments_to_reconcile
from .services.unpaid_orders import order_expire_unpaid, orders_to_cancel

# Mollie answering slowly or not at all is worth retrying for a day; a 4xx is not (services raise it
# as ProviderRefused, which is retried too, but a refused request fails the same way each time).
PAYMENT_TASK = {
    "queue_name": "payments",
    "max_retries": 15,
    "min_backoff": 2 * SECOND_MS,
    "max_backoff": HOUR_MS,
    "time_limit": MINUTE_MS,
    "max_age": DAY_MS,
}


@dramatiq.actor(actor_name=SYNC_PAYMENT, **PAYMENT_TASK)  # services queue it by this name
def sync_payment(payment_id: int):
    """Fetch a payment from Mollie and apply its state (the webhook's work, and the reconcile job's)."""
    payment_sync_from_queue(payment_id=payment_id)


@dramatiq.actor(actor_name=SEND_REFUND, **PAYMENT_TASK)  # services queue it by this name
def send_refund(refund_id: int):
    refund_send(refund_id=refund_id)


@dramatiq.actor(actor_name=CAPTURE_PAYMENT, **PAYMENT_TASK)  # services queue it by this name
def capture_payment(order_id: int):
    payment_capture(order_id=order_id)


@dramatiq.actor(**PAYMENT_TASK)
def expire_unpaid_order(order_id: int):
    order_expire_unpaid(order_id=order_id)


@cron("*/5 * * * *")
@dramatiq.actor(queue_name="payments", max_retries=0, time_limit=MINUTE_MS, max_age=5 * MINUTE_MS)
def reconcile_payments():
    """Ask Mollie about payments we have not heard of for a while (no webhook, no return),
    and send refunds that were recorded but never reached Mollie."""
    for payment_id in payments_to_reconcile():
        sync_payment.send(payment_id)
    for refund_id in refunds_to_send():
        send_refund.send(refund_id)


@cron("*/15 * * * *")
@dramatiq.actor(queue_name="payments", max_retries=0, time_limit=MINUTE_MS, max_age=15 * MINUTE_MS)
def cancel_unpaid_orders():
    """Release the stock of orders that waited too long for a payment."""
    for order_id in orders_to_cancel():
        expire_unpaid_order.send(order_id)
