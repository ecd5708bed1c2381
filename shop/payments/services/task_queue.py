"""Queue a payments actor through the outbox by its name, without importing it.

The actors in shop/payments/tasks.py call these services, so a service importing an actor made a
cycle (it used to hide in imports inside functions). The outbox records an actor by name and queue
only; the broker knows every actor by name once Django is set up (shop.outbox imports every app's
tasks module in its ready(), because its relay publishes by name too). A name no actor has raises
ActorNotFound here, inside the caller's transaction.
"""

import dramatiq

from shop.outbox.services import outbox_enqueue


def payment_task_enqueue(actor_name: str, *args, request_id: str | None = None) -> None:
    """Record `actor_name(*args)` in the current transaction (see outbox_enqueue)."""
    outbox_enqueue(actor=dramatiq.get_broker().get_actor(actor_name), args=args, request_id=request_id)
