"""Queue an actor through the outbox by its name, without importing it.

The actors in shop/payments/tasks.py call these services, so a service importing an actor made a
cycle (it used to hide in imports inside functions): services name the actor (constants.py) and the
outbox looks it up on the broker (see outbox_enqueue_by_name). The order emails' actors sit in a layer
above payments, so payments names them too (shop/orders/constants.py).
"""

from shop.outbox.services import outbox_enqueue_by_name


def payment_task_enqueue(actor_name: str, *args, request_id: str | None = None) -> None:
    """Record `actor_name(*args)` in the current transaction (see outbox_enqueue)."""
    outbox_enqueue_by_name(actor_name=actor_name, args=args, request_id=request_id)
