"""Durable enqueueing: write the task with the data, publish it after commit."""

import logging
from datetime import timedelta

import dramatiq
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from dramatiq.brokers.redis import RedisBroker
from dramatiq.common import q_name, xq_name
from dramatiq.errors import ActorNotFound

from shop.observability.context import request_id_get

from .models import OutboxMessage

logger = logging.getLogger(__name__)


def outbox_enqueue(
    *, actor: dramatiq.Actor, args: tuple = (), kwargs: dict | None = None, request_id: str | None = None
) -> OutboxMessage:
    """Record `actor(*args, **kwargs)` in the current transaction.

    The row commits or rolls back with the caller's change. After commit the
    relay is tried at once; if the broker is down the row waits for the
    periodic relay. The task logs under `request_id`: by default the request
    (or task chain) enqueueing it.
    """
    message = OutboxMessage.objects.create(
        actor_name=actor.actor_name,
        queue_name=actor.queue_name,
        args=list(args),
        kwargs=kwargs or {},
        request_id=request_id_get() if request_id is None else request_id,
    )
    # robust: a relay failure after commit is logged, never turned into an error page.
    transaction.on_commit(lambda: outbox_relay(ids=[message.pk]), robust=True)
    return message


def outbox_enqueue_by_name(
    *, actor_name: str, args: tuple = (), kwargs: dict | None = None, request_id: str | None = None
) -> OutboxMessage:
    """Record the actor named `actor_name` as outbox_enqueue does, for a service whose actors call it back.

    A domain's tasks import its services, so a service importing its own actor is a cycle: it names the actor
    instead (the domain's constants.py, the same name the actor is declared with). The broker knows every
    actor once Django is set up (shop.outbox's ready() imports every tasks module); a name no actor has
    raises ActorNotFound here, inside the caller's transaction, not later in the relay.
    """
    actor = dramatiq.get_broker().get_actor(actor_name)
    return outbox_enqueue(actor=actor, args=args, kwargs=kwargs, request_id=request_id)


def outbox_relay(*, ids: list[int] | None = None, limit: int = 500) -> int:
    """Publish pending outbox rows to the broker; return how many were published.

    Rows are locked with SKIP LOCKED so concurrent relays never publish one row
    twice; a broker failure leaves the row pending and stops this pass.
    """
    broker = dramatiq.get_broker()
    published = 0
    with transaction.atomic():
        pending = OutboxMessage.objects.pending().order_by("pk")
        if ids is not None:
            pending = pending.filter(pk__in=ids)
        for row in pending.select_for_update(skip_locked=True)[:limit]:
            try:
                actor = broker.get_actor(row.actor_name)
            except ActorNotFound as exc:
                # A row no code can run (actor renamed or removed): failed, out of the relay's way, for a
                # person to retry once the actor exists again (logged once, counted by shop_outbox_failed).
                _record_failure(row, exc, failed=True)
                logger.error("outbox: no actor %s for row %s; marked failed", row.actor_name, row.pk)
                continue
            try:
                # request_id always set, empty included: a relay running inside a task must not lend it its own.
                message = broker.enqueue(
                    actor.message_with_options(args=tuple(row.args), kwargs=row.kwargs, request_id=row.request_id)
                )
            except Exception as exc:  # the broker is unreachable: the rest would fail too
                _record_failure(row, exc)
                logger.warning("outbox: could not publish %s (row %s), will retry: %r", row.actor_name, row.pk, exc)
                break
            row.published_at = timezone.now()
            row.message_id = message.message_id
            row.broker_queue, row.broker_message_id = _broker_place(message)
            row.attempts += 1
            row.save(update_fields=["published_at", "message_id", "broker_queue", "broker_message_id", "attempts"])
            published += 1
    return published


def _record_failure(row: OutboxMessage, exc: Exception, *, failed: bool = False) -> None:
    OutboxMessage.objects.filter(pk=row.pk).update(
        attempts=row.attempts + 1, last_error=repr(exc)[:2000], failed_at=timezone.now() if failed else None
    )


def outbox_retry_failed(*, ids: list[int]) -> tuple[list[int], list[int]]:
    """Put failed rows among `ids` back in the relay's hands, if their actor exists now.

    Returns (queued again, still without an actor); rows that are not failed are left alone.
    The relay publishes the queued rows right after the caller's transaction commits.
    """
    broker = dramatiq.get_broker()
    queued, missing = [], []
    with transaction.atomic():
        for row in OutboxMessage.objects.failed().filter(pk__in=ids).select_for_update().order_by("pk"):
            try:
                broker.get_actor(row.actor_name)
            except ActorNotFound:
                missing.append(row.pk)
                continue
            queued.append(row.pk)
        OutboxMessage.objects.filter(pk__in=queued).update(failed_at=None)
        if queued:
            transaction.on_commit(lambda: outbox_relay(ids=queued), robust=True)
    return queued, missing


def outbox_prune(*, older_than: timedelta = timedelta(days=7)) -> int:
    """Delete rows published before `older_than` ago; pending rows are never deleted."""
    deleted, _ = OutboxMessage.objects.filter(published_at__lt=timezone.now() - older_than).delete()
    return deleted


def _broker_place(message: dramatiq.Message) -> tuple[str, str]:
    return message.queue_name, message.options.get("redis_message_id", "")


def outbox_track(*, message: dramatiq.Message) -> int:
    """The broker enqueued `message` again (a retry, or a delayed message made due): follow it there."""
    queue, broker_message_id = _broker_place(message)
    return OutboxMessage.objects.filter(message_id=message.message_id, done_at__isnull=True).update(
        broker_queue=queue, broker_message_id=broker_message_id
    )


def outbox_mark_done(*, message_id: str) -> int:
    """The published message `message_id` has run: its row is done (no row: a message not from the outbox)."""
    return OutboxMessage.objects.filter(message_id=message_id, done_at__isnull=True).update(done_at=timezone.now())


def outbox_sweep_lost(*, older_than: timedelta = timedelta(minutes=1), limit: int = 500) -> int:
    """Publish again every task whose message the broker lost; return how many.

    A row published, not done, and whose message the broker holds nowhere (its queue, its delay queue
    for a retry, its dead letters) was lost: Redis restarted without persistence, or the message was
    evicted. Each actor is safe to run twice, so a message lost just as it finished costs nothing.
    The in-memory broker of `make run` loses its messages only with the process that runs them.
    """
    broker = dramatiq.get_broker()
    if not isinstance(broker, RedisBroker):
        return 0
    in_flight = list(
        OutboxMessage.objects.filter(published_at__lt=timezone.now() - older_than, done_at__isnull=True).values_list(
            "pk", "broker_queue", "broker_message_id"
        )[:limit]
    )
    if not in_flight:
        return 0
    held = _broker_holds(broker, [(queue, message_id) for _, queue, message_id in in_flight])
    lost = [pk for (pk, _, _), present in zip(in_flight, held, strict=True) if not present]
    if not lost:
        return 0
    # Only rows still not done: one that finished meanwhile is left alone.
    count = OutboxMessage.objects.filter(pk__in=lost, done_at__isnull=True).update(
        published_at=None, message_id="", republished=F("republished") + 1
    )
    logger.warning("outbox: %d task(s) lost by the broker; publishing them again", count)
    outbox_relay(ids=lost)
    return count


def _broker_holds(broker: RedisBroker, messages: list[tuple[str, str]]) -> list[bool]:
    """Whether the Redis broker still has each (queue, Redis message id): queued, waiting for its retry
    or being processed (dramatiq keeps a message's data in `<namespace>:<queue>.msgs` until it is
    acknowledged), or dead-lettered (`<queue>.XQ.msgs`, same id)."""
    pipeline = broker.client.pipeline(transaction=False)
    for queue, message_id in messages:
        for name in (queue, xq_name(q_name(queue))):
            pipeline.hexists(f"{broker.namespace}:{name}.msgs", message_id)
    answers = pipeline.execute()
    return [any(answers[i : i + 2]) for i in range(0, len(answers), 2)]
