"""The worker tells the outbox when a message it published has run, and keeps the ones it gave up on."""

import dramatiq
import dramatiq_crontab
from django import db


class OutboxDoneMiddleware(dramatiq.Middleware):
    """Marks a message's outbox row done once the message ran, or was dropped past its max_age: the
    lost-message sweep can then tell a message Redis lost from one that finished. A message that
    failed stays in the broker (retry or dead letter), where the sweep sees it."""

    def after_process_message(self, broker, message, *, result=None, exception=None):
        if exception is None:
            _mark_done(message.message_id)

    def after_skip_message(self, broker, message):
        _mark_done(message.message_id)

    def after_enqueue(self, broker, message, delay):
        # A retry, or a delayed message made due, is a new entry in Redis: the outbox follows it.
        # (The relay records a message's first place itself.)
        if message.options.get("retries") or delay is not None or message.options.get("eta"):
            _services().outbox_track(message=message)


def _mark_done(message_id: str) -> None:
    _services().outbox_mark_done(message_id=message_id)


def _services():
    # django_dramatiq builds the broker's middleware in its AppConfig's __init__, before any model loads:
    # Django lets the services (and the models they import) be imported only once a message moves.
    from . import services

    return services


class DeadLetterMiddleware(dramatiq.Middleware):
    """Keeps every message Dramatiq gives up on as a DeadLetter row in PostgreSQL.

    It must come before Retries in the middleware list: after-hooks run in reverse order, so this one
    runs after Retries has decided (message.failed) whether the failure was the last. Dramatiq's own
    dead-letter set in Redis still gets the message too, and drops it after a week.

    Periodic jobs are left out: the scheduler sends them again on their next tick, so a dead letter
    would only duplicate that run (their failures are in the logs and Dramatiq's metrics).
    """

    def after_process_message(self, broker, message, *, result=None, exception=None):
        if exception is not None and message.failed:
            self._record(message, reason="failed", exception=exception)

    def after_skip_message(self, broker, message):
        if message.failed:  # AgeLimit: too old to run
            self._record(message, reason="expired")

    def _record(self, message, *, reason, exception=None):
        if message.actor_name in _periodic_actor_names():
            return
        try:
            _dead_letters().dead_letter_record(message=message, reason=reason, exception=exception)
        finally:
            # The connection middleware's after-hook ran before this one (reverse order): close what we opened
            # (never a connection inside a transaction: that one is its owner's).
            if not db.connection.in_atomic_block:
                db.close_old_connections()


def _periodic_actor_names() -> set[str]:
    return {job.name for job in dramatiq_crontab.scheduler.get_jobs()}


def _dead_letters():
    # As _services(): importing the models must wait until Django's app registry is ready.
    from . import dead_letters

    return dead_letters
