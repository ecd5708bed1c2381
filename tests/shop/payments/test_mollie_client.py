"""MOLLIE_API_ENDPOINT points the real Mollie client at any base URL, plain http on loopback included."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from shop.payments.mollie import mollie_client


class FakeMollie(BaseHTTPRequestHandler):
    seen = []

    def do_GET(self):
        FakeMollie.seen.append((self.path, self.headers.get("Authorization")))
        body = json.dumps(
            {
                "resource": "payment",
                "id": "tr_fake123",
                "mode": "test",
                "status": "paid",
                "paidAt": "2026-11-25T12:00:00+00:00",
                "amount": {"value": "10.00", "currency": "EUR"},
                "description": "Order 1",
                "_links": {},
            }
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/hal+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_mollie():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeMollie)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_the_client_talks_to_the_configured_endpoint_with_the_configured_key(settings, fake_mollie):
    settings.MOLLIE_API_KEY = "test_loopback0000000000000000000"
    settings.MOLLIE_API_ENDPOINT = fake_mollie
    FakeMollie.seen.clear()

    payment = mollie_client().payments.get("tr_fake123")

    assert payment.id == "tr_fake123" and payment.is_paid()
    assert FakeMollie.seen == [("/v2/payments/tr_fake123", "Bearer test_loopback0000000000000000000")]
