"""The one place that builds a Mollie client.

MOLLIE_API_ENDPOINT points the real client library at another base URL: the
local Mollie simulator in development, tests and benchmarks.
"""

from django.conf import settings
from mollie.api.client import Client


def mollie_client() -> Client:
    client = Client()
    client.set_api_key(settings.MOLLIE_API_KEY)
    if settings.MOLLIE_API_ENDPOINT:
        client.set_api_endpoint(settings.MOLLIE_API_ENDPOINT)
    return client
