"""The fields that tie log lines together, kept in structlog's context variables.

A web request binds `request_id` (shop/observability/middleware.py), a task binds the id of the request
that caused it plus its own `task_id` (shop/observability/dramatiq.py); services bind what they learn
(order number, payment, parcel, email). Every log line of that request or task carries them, whether it
is written through structlog or the standard library's logging.
"""

import uuid

import structlog


def new_id() -> str:
    return uuid.uuid4().hex[:16]


def request_id_get() -> str:
    """The id of the request (or the task chain) this code runs for; empty outside both."""
    return structlog.contextvars.get_contextvars().get("request_id") or ""


def log_context_bind(**fields) -> None:
    """Bind fields to every later log line of this request or task; None and "" are left out."""
    structlog.contextvars.bind_contextvars(**{name: value for name, value in fields.items() if value not in (None, "")})


def order_context_bind(order) -> None:
    """The order a request or task works on. Its customer becomes `user_id` only where no one is signed in
    to say otherwise (in tasks): a request's `user_id` is the person making it, staff included."""
    log_context_bind(order_number=order.number)
    if "user_id" not in structlog.contextvars.get_contextvars():
        log_context_bind(user_id=order.user_id)


def log_context(**fields):
    """Bind fields for a `with` block only (one parcel of a carrier's push that carries several)."""
    return structlog.contextvars.bound_contextvars(
        **{name: value for name, value in fields.items() if value not in (None, "")}
    )
