"""MollieSimulator: a real HTTP server on loopback that the real Mollie client talks to, with test controls."""

import copy
import json
import re
from decimal import Decimal, InvalidOperation
from urllib.parse import parse_qsl, urlsplit

from shop.devtools.loopback import LoopbackSimulator

from .api import Api, ApiRequest
from .checkout import checkout_page, checkout_submit, dashboard_page, not_found
from .control import control_reply
from .errors import ApiError
from .methods import METHODS, method_svg
from .replies import Reply, json_reply
from .resources import Urls, chargeback_json, payment_json, refund_json
from .state import Payment, Store
from .webhooks import WebhookSender

CHECKOUT_PATH = re.compile(r"^/checkout/(?P<payment_id>[^/]+)/?$")
DASHBOARD_PATH = re.compile(r"^/dashboard/payments/(?P<payment_id>[^/]+)/?$")
IMAGE_PATH = re.compile(r"^/images/(?P<method_id>[a-z]+)\.svg$")


class MollieSimulator(LoopbackSimulator):
    label = "Mollie simulator"

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        webhook_retry_delays: tuple[float, ...] = (1, 2, 5, 10, 30, 60),
        public_url: str | None = None,
        refund_settle_delay: float | None = None,
    ):
        """`public_url` is the base a browser uses (checkout, images) when it differs from the API's.
        `refund_settle_delay`: seconds until a new refund becomes "refunded" by itself; None waits for
        settle_refunds()."""
        super().__init__(host, port)
        self._public_url = public_url.rstrip("/") if public_url else None
        self._webhooks = WebhookSender(webhook_retry_delays)
        self._store = Store(notify=self._notify, refund_settle_delay=refund_settle_delay)

    # Lifecycle

    def _started(self) -> None:
        self._urls = Urls(api=self._url, public=self._public_url or self._url)
        self._api = Api(self._store, self._urls)
        self._webhooks.start()

    def _stopped(self) -> None:
        self._webhooks.stop()

    def reset(self) -> None:
        with self._store.lock:
            self._store.reset()
            self._webhooks.clear()

    # What happened

    @property
    def requests(self) -> list[dict]:
        with self._store.lock:
            return copy.deepcopy(self._store.requests)

    def payments_created(self) -> int:
        return self._store.payments_created

    @property
    def webhook_deliveries(self) -> list[dict]:
        return self._webhooks.deliveries

    def wait_for_webhooks(self, timeout: float = 10) -> bool:
        return self._webhooks.wait_idle(timeout)

    def stats(self) -> dict:
        with self._store.lock:
            statuses: dict[str, int] = {}
            for payment in self._store.payments.values():
                statuses[payment.status] = statuses.get(payment.status, 0) + 1
            return {
                "payments_created": self._store.payments_created,
                "payments_by_status": statuses,
                "requests": len(self._store.requests),
                "webhook_deliveries": len(self._webhooks.deliveries),
                "webhooks_pending": self._webhooks.pending,
            }

    # Playing shopper, bank and card scheme

    def payment(self, payment_id: str) -> dict:
        with self._store.lock:
            return payment_json(self._store.get(payment_id), self._urls)

    def set_status(self, payment_id: str, status: str, *, notify: bool = True) -> dict:
        with self._store.lock:
            return payment_json(self._store.set_status(payment_id, status, notify=notify), self._urls)

    def create_chargeback(self, payment_id: str, amount_value: str | None = None, *, notify: bool = True) -> dict:
        try:
            amount = Decimal(amount_value) if amount_value is not None else None
        except InvalidOperation:
            raise ValueError(f"Not an amount: {amount_value!r}") from None
        with self._store.lock:
            chargeback = self._store.add_chargeback(payment_id, amount, notify=notify)
            return chargeback_json(chargeback, self._store.get(payment_id), self._urls)

    def reverse_chargeback(self, payment_id: str, chargeback_id: str, *, notify: bool = True) -> dict:
        with self._store.lock:
            chargeback = self._store.reverse_chargeback(payment_id, chargeback_id, notify=notify)
            return chargeback_json(chargeback, self._store.get(payment_id), self._urls)

    def settle_refunds(self, payment_id: str | None = None) -> list[dict]:
        with self._store.lock:
            return [
                refund_json(refund, payment, self._urls) for payment, refund in self._store.settle_refunds(payment_id)
            ]

    def _notify(self, payment: Payment) -> None:
        if payment.webhook_url:
            self._webhooks.send(payment.id, payment.webhook_url)

    # HTTP

    def respond(self, method: str, target: str, headers, body: bytes) -> Reply:
        parts = urlsplit(target)
        path = parts.path
        if path == "/v2" or path.startswith("/v2/"):
            query = dict(parse_qsl(parts.query, keep_blank_values=True))
            return self._api.handle(ApiRequest(method, path, query, headers, body))
        if path.startswith("/simulator/"):
            return control_reply(self, method, path, _form(headers, body))
        if method in ("GET", "POST") and (match := CHECKOUT_PATH.match(path)):
            if method == "POST":
                return checkout_submit(self._store, match["payment_id"], _form(headers, body))
            with self._store.lock:
                payment = self._store.payments.get(match["payment_id"])
                return checkout_page(payment, self._urls) if payment else not_found(match["payment_id"])
        if method == "GET" and (match := DASHBOARD_PATH.match(path)):
            with self._store.lock:
                payment = self._store.payments.get(match["payment_id"])
                return dashboard_page(payment) if payment else not_found(match["payment_id"])
        if method == "GET" and (match := IMAGE_PATH.match(path)) and match["method_id"] in METHODS:
            return Reply(200, method_svg(METHODS[match["method_id"]]), "image/svg+xml")
        error = ApiError(404, f"Nothing exists at {method} {path}.")
        return json_reply(404, error.body())


def _form(headers, body: bytes) -> dict[str, str]:
    """Form fields from a urlencoded or JSON body (the control endpoints accept both)."""
    if "json" in (headers.get("Content-Type") or ""):
        try:
            data = json.loads(body or b"{}")
        except ValueError:
            return {}
        return {key: str(value) for key, value in data.items()} if isinstance(data, dict) else {}
    return dict(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True))
