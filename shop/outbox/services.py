"""Durable enqueueing: write the task with the data, publish it after commit."""

import logging

import dramatiq
from django.db import transaction
from django.utils import timezone

from .models import OutboxMessage

logger = logging.getLogger(__name__)


def outbox_enqueue(*, actor: dramatiq.Actor, args: tuple = (), kwargs: dict | None = None) -> OutboxMessage:
    """Record `actor(*args, **kwargs)` in the current transaction.

    The row commits or rolls back with the caller's change. After commit the
    relay is tried at once; if the broker is down the row waits for the
    periodic relay.
    """
    message = OutboxMessage.objects.create(
        actor_name=actor.actor_name,
        queue_name=actor.queue_name,
        args=list(args),
        kwargs=kwargs or {},
    )
    # robust: a relay failure after commit is logged, never turned into an error page.
    transaction.on_commit(lambda: outbox_relay(ids=[message.pk]), robust=True)
    return message


def outbox_relay(*, ids: list[int] | None = None, limit: int = 500) -> int:
    """Publish pending outbox rows to the broker; return how many were published.

    Rows are locked with SKIP LOCKED so concurrent relays never publish one row
    twice; a broker failure leaves the row pending and stops this pass.
    """
    broker = dramatiq.get_broker()
    published = 0
    with transaction.atomic():
        pending = OutboxMessage.objects.filter(published_at__isnull=True).order_by("pk")
        if ids is not None:
            pending = pending.filter(pk__in=ids)
        for row in pending.select_for_update(skip_locked=True)[:limit]:
            try:
                actor = broker.get_actor(row.actor_name)
                message = broker.enqueue(actor.message_with_options(args=tuple(row.args), kwargs=row.kwargs))
            except Exception as exc:  # the broker's errors differ per broker
                OutboxMessage.objects.filter(pk=row.pk).update(attempts=row.attempts + 1, last_error=repr(exc)[:2000])
                logger.warning(
                    "outbox: could not publish %s (id %s), will retry: %r",
                    row.actor_name,
                    row.pk,
                    exc,
                )
                break
            row.published_at = timezone.now()
            row.message_id = message.message_id
            row.attempts += 1
            row.save(update_fields=["published_at", "message_id", "attempts"])
            published += 1
    return published


def outbox_backlog() -> int:
    """How many tasks wait for the broker."""
    return OutboxMessage.objects.filter(published_at__isnull=True).count()
