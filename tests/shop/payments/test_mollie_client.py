"""MOLLIE_API_ENDPOINT points the real Mollie client at any base URL, plain http on loopback included."""

import logging

import pytest

from shop.devtools.loopback import LoopbackServer, json_reply
from shop.payments.mollie import mollie_client

PAYMENT = {
    "resource": "payment",
    "id": "tr_fake123",
    "mode": "test",
    "status": "paid",
    "paidAt": "2026-11-25T12:00:00+00:00",
    "amount": {"value": "10.00", "currency": "EUR"},
    "description": "Order 1",
    "_links": {},
}


@pytest.fixture
def fake_mollie():
    """Any request gets the one payment; `seen` keeps each request's path and Authorization header."""
    seen = []

    def respond(method, target, headers, body):
        seen.append((target, headers.get("Authorization")))
        return json_reply(200, PAYMENT, "application/hal+json")

    server = LoopbackServer(("127.0.0.1", 0), respond, name="FakeMollie", logger=logging.getLogger(__name__))
    server.serve_in_background()
    yield server.url, seen
    server.close()


def test_the_client_talks_to_the_configured_endpoint_with_the_configured_key(settings, fake_mollie):
    settings.MOLLIE_API_KEY = "test_loopback0000000000000000000"
    endpoint, seen = fake_mollie
    settings.MOLLIE_API_ENDPOINT = endpoint

    payment = mollie_client().payments.get("tr_fake123")

    assert payment.id == "tr_fake123" and payment.is_paid()
    assert seen == [("/v2/payments/tr_fake123", "Bearer test_loopback0000000000000000000")]
