import re

import structlog

from .context import new_id

_VALID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIdMiddleware:
    """Take the proxy's X-Request-ID (or make one), bind it to every log line of the request and echo it back.

    django-structlog's RequestMiddleware, further down, logs the request's start and end with the user;
    shop/monitoring/request_logging.py keeps this id on its lines."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _VALID.match(incoming) else new_id()
        # A thread serves one request after another: nothing bound for the last one may leak into this one.
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(request_id=request.request_id)
        try:
            response = self.get_response(request)
        finally:
            structlog.contextvars.clear_contextvars()
        response["X-Request-ID"] = request.request_id
        return response
