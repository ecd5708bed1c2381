"""Durable enqueueing: write the task with the data, publish it after commit."""

import logging
from datetime import timedelta

import dramatiq
from django.db import transaction
from django.utils import timezone
from dramatiq.errors import ActorNotFound

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
            except ActorNotFound as exc:
                # A row no code can run (actor renamed or removed): keep it for a human, go on.
                _record_failure(row, exc)
                logger.error("outbox: no actor %s for row %s; left pending", row.actor_name, row.pk)
                continue
            try:
                message = broker.enqueue(actor.message_with_options(args=tuple(row.args), kwargs=row.kwargs))
            except Exception as exc:  # the broker is unreachable: the rest would fail too
                _record_failure(row, exc)
                logger.warning("outbox: could not publish %s (row %s), will retry: %r", row.actor_name, row.pk, exc)
                break
            row.published_at = timezone.now()
            row.message_id = message.message_id
            row.attempts += 1
            row.save(update_fields=["published_at", "message_id", "attempts"])
            published += 1
    return published


def _record_failure(row: OutboxMessage, exc: Exception) -> None:
    OutboxMessage.objects.filter(pk=row.pk).update(attempts=row.attempts + 1, last_error=repr(exc)[:2000])


def outbox_prune(*, older_than: timedelta = timedelta(days=7)) -> int:
    """Delete rows published before `older_than` ago; pending rows are never deleted."""
    deleted, _ = OutboxMessage.objects.filter(published_at__lt=timezone.now() - older_than).delete()
    return deleted
