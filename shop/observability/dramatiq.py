import logging

from dramatiq.middleware import Middleware

from .context import request_id

logger = logging.getLogger("shop.tasks")


class LogContextMiddleware(Middleware):
    """Log each task's start and outcome under the message id."""

    def before_process_message(self, broker, message):
        message._log_token = request_id.set(f"task-{message.message_id[:12]}")
        logger.info("task %s%s started", message.actor_name, tuple(message.args))

    def after_process_message(self, broker, message, *, result=None, exception=None):
        if exception is not None:
            retries = message.options.get("retries", 0)
            logger.error("task %s failed (attempt %s): %r", message.actor_name, retries + 1, exception)
        else:
            logger.info("task %s done", message.actor_name)
        token = getattr(message, "_log_token", None)
        if token is not None:
            request_id.reset(token)

    after_skip_message = after_process_message
