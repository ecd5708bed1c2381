"""Dead letters: task messages Dramatiq gave up on, kept in PostgreSQL until a person decides.

The worker records one (DeadLetterMiddleware) when a message's retries are exhausted or it is too old
to run. Staff retry it (a new outbox row: the retry is as durable as any task, and runs with the
actor's own retry settings) or discard it, in the Django admin or with `manage.py dead_letters`.
"""

import logging
import traceback as tb
from collections.abc import Iterable
from dataclasses import dataclass, field

import dramatiq
from django.db import IntegrityError, transaction
from django.utils import timezone
from dramatiq.errors import ActorNotFound

from .models import DeadLetter, OutboxMessage
from .services import outbox_enqueue

logger = logging.getLogger(__name__)

# Message options that are the broker's bookkeeping or kept in their own column.
_OPTIONS_LEFT_OUT = {"traceback", "redis_message_id"}


@dataclass
class Decisions:
    """What a batch of retries or discards did: the rows it changed, and why it left the others alone."""

    done: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)


def dead_letter_record(
    *, message: dramatiq.Message, reason: str, exception: BaseException | None = None
) -> DeadLetter | None:
    """Keep the message Dramatiq gave up on; return the row (None if the same message was recorded already).

    The message's outbox row, if it came through the outbox, is linked and marked done: the broker will
    not run it again, so the lost-task sweep must not publish it again either.
    """
    if exception is not None:
        error = f"{type(exception).__name__}: {exception}"
        trace = "".join(tb.format_exception(exception))
    else:
        error = f"not run: older than max_age ({message.options.get('max_age', 'actor default')} ms)"
        trace = ""
    outbox_row = OutboxMessage.objects.filter(message_id=message.message_id).order_by("-pk").first()
    try:
        with transaction.atomic():
            dead = DeadLetter.objects.create(
                message_id=message.message_id,
                actor_name=message.actor_name,
                queue_name=message.queue_name,
                args=list(message.args),
                kwargs=dict(message.kwargs),
                options={k: v for k, v in message.options.items() if k not in _OPTIONS_LEFT_OUT},
                reason=reason,
                error=error[:2000],
                traceback=trace[-20_000:],  # the innermost frames are the ones that explain
                outbox_message=outbox_row,
            )
            if outbox_row is not None and outbox_row.done_at is None:
                OutboxMessage.objects.filter(pk=outbox_row.pk).update(done_at=timezone.now())
    except IntegrityError:  # at-least-once: the same message failed for good again after a redelivery
        return None
    logger.error(
        "dead letter %s: %s%s gave up (%s): %s", dead.pk, dead.actor_name, tuple(dead.args), reason, dead.error
    )
    return dead


def dead_letters_retry(*, ids: Iterable[int], user=None) -> Decisions:
    """Run each awaiting dead letter's task again through the outbox, in the caller's transaction."""
    decisions = Decisions()
    broker = dramatiq.get_broker()
    with transaction.atomic():
        for dead in _lock(ids, decisions):
            try:
                actor = broker.get_actor(dead.actor_name)
            except ActorNotFound:
                decisions.skipped[dead.pk] = f"no actor {dead.actor_name} any more (renamed or removed)"
                continue
            retry = outbox_enqueue(actor=actor, args=tuple(dead.args), kwargs=dead.kwargs)
            _decide(dead, DeadLetter.Status.RETRIED, user, retried_as=retry)
            decisions.done.append(dead.pk)
    if decisions.done:
        logger.info("dead letters %s retried by %s", decisions.done, _who(user))
    return decisions


def dead_letters_discard(*, ids: Iterable[int], user=None) -> Decisions:
    """Close each awaiting dead letter without running it."""
    decisions = Decisions()
    with transaction.atomic():
        for dead in _lock(ids, decisions):
            _decide(dead, DeadLetter.Status.DISCARDED, user)
            decisions.done.append(dead.pk)
    if decisions.done:
        logger.info("dead letters %s discarded by %s", decisions.done, _who(user))
    return decisions


def _lock(ids: Iterable[int], decisions: Decisions) -> list[DeadLetter]:
    """The awaiting rows among `ids`, locked (a second click or a concurrent command waits, then skips them)."""
    wanted = set(ids)
    rows = list(DeadLetter.objects.select_for_update().filter(pk__in=wanted).order_by("pk"))
    for row in rows:
        if row.status != DeadLetter.Status.AWAITING:
            decisions.skipped[row.pk] = f"already {row.get_status_display().lower()}"
    for missing in sorted(wanted - {row.pk for row in rows}):
        decisions.skipped[missing] = "no such dead letter"
    return [row for row in rows if row.status == DeadLetter.Status.AWAITING]


def _decide(dead: DeadLetter, status: str, user, retried_as: OutboxMessage | None = None) -> None:
    dead.status = status
    dead.decided_at = timezone.now()
    dead.decided_by = user if user is not None and user.is_authenticated else None
    dead.retried_as = retried_as
    dead.save(update_fields=["status", "decided_at", "decided_by", "retried_as"])


def _who(user) -> str:
    return f"user {user.pk}" if user is not None and user.is_authenticated else "manage.py"
