"""The one place that builds a Mollie client.

MOLLIE_API_ENDPOINT points the real client library at another base URL: the
local Mollie simulator in development, tests and benchmarks.
"""

import time

import requests
import structlog
from django.conf import settings
from mollie.api.client import Client

from shop.observability.context import request_id_get

logger = structlog.get_logger(__name__)


class TracedClient(Client):
    """Mollie's client, each call logged (method, path, status, time) and sent with the request id."""

    def perform_http_call(self, http_method, path, data=None, params=None, idempotency_key=""):
        request_id = request_id_get()
        if request_id:
            self._session().headers["X-Request-Id"] = request_id
        started = time.monotonic()
        try:
            response = super().perform_http_call(
                http_method, path, data=data, params=params, idempotency_key=idempotency_key
            )
        except Exception as exc:
            logger.warning("mollie call failed", method=http_method, path=path, error=str(exc))
            raise
        logger.info(
            "mollie call",
            method=http_method,
            path=path,
            status=response.status_code,
            duration_ms=round((time.monotonic() - started) * 1000),
        )
        return response

    def _session(self) -> requests.Session:
        # mollie-api-python 4.0 builds each call's headers itself, with no way to add one, and sends them
        # through the requests Session it creates on first use (`_client`), which merges in its own
        # headers. Creating that Session here, as the library would, is where the id can ride along.
        if not hasattr(self, "_client"):
            self._client = requests.Session()
            self._client.verify = True
            self._setup_retry()
        return self._client


def mollie_client() -> Client:
    client = TracedClient()
    client.set_api_key(settings.MOLLIE_API_KEY)
    if settings.MOLLIE_API_ENDPOINT:
        client.set_api_endpoint(settings.MOLLIE_API_ENDPOINT)
    return client
