"""The id that ties together every log line of one request or one task."""

import contextvars
import uuid

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")


def new_id() -> str:
    return uuid.uuid4().hex[:16]
