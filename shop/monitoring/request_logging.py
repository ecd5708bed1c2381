"""django-structlog's request lines, told the shop's own request id and client address.

Its middleware binds a request id of its own and finds the address with django-ipware; the shop has one
rule for each (shop/observability/middleware.py, shop/http/clients.py), so these receivers put them back
before the `request_started` line is written.
"""

import structlog
from django.dispatch import receiver
from django_structlog import signals

from shop.http.clients import client_address


@receiver(signals.bind_extra_request_metadata)
def bind_shop_request_fields(request, logger, log_kwargs, **kwargs):
    fields = {"ip": client_address(request)}
    if getattr(request, "request_id", None):
        fields["request_id"] = request.request_id
    structlog.contextvars.bind_contextvars(**fields)
