"""Tasks log under the request that caused them.

A message carries the request id in its options (`request_id`): the outbox stores it with the row and
the relay publishes it (shop/outbox/services.py); a task sent straight to the broker gets the id of the
request or task sending it (`before_enqueue`). The worker binds it, with the message's own `task_id` and
actor, for every line of the task, so the tasks a task queues carry the same id on. A task nobody's
request caused (the scheduler's) starts its own chain: `task-<message id>`.
"""

import structlog
from dramatiq.middleware import Middleware

from .context import request_id_get

logger = structlog.get_logger("shop.tasks")


class LogContextMiddleware(Middleware):
    """First in DRAMATIQ_MIDDLEWARE: its before-hooks run first and its after-hooks last, so the retry,
    age-limit and time-limit middleware log inside the task's context too."""

    def before_enqueue(self, broker, message, delay):
        if "request_id" not in message.options and (request_id := request_id_get()):
            message.options["request_id"] = request_id

    def before_process_message(self, broker, message):
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(
            request_id=message.options.get("request_id") or f"task-{message.message_id[:12]}",
            task_id=message.message_id,
            actor=message.actor_name,
        )
        logger.info("task started", args=list(message.args), attempt=message.options.get("retries", 0) + 1)

    def after_process_message(self, broker, message, *, result=None, exception=None):
        if exception is not None:
            logger.error("task failed", attempt=message.options.get("retries", 0) + 1, error=repr(exception))
        else:
            logger.info("task done")
        structlog.contextvars.clear_contextvars()

    def after_skip_message(self, broker, message):
        logger.warning("task skipped")
        structlog.contextvars.clear_contextvars()
