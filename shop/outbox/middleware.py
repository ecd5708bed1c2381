"""The worker tells the outbox when a message it published has run."""

import dramatiq


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
    # django_dramatiq builds the broker's middleware while Django's app registry is still loading,
    # so the services (and the models they import) can only be imported once a message moves.
    from . import services

    return services
