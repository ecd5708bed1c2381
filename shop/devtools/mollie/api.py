"""The /v2 API subset: authentication, idempotency, then a route table of handlers over the state."""

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass

from .errors import AUTHENTICATION_DOCUMENTATION, ApiError, payment_not_found, unprocessable
from .methods import METHODS, method_json
from .replies import Reply, json_reply
from .resources import Urls, capture_json, chargeback_json, list_json, payment_json, refund_json
from .state import Payment, PaymentStateError, Store, new_payment
from .validation import capture_fields, methods_for_query, payment_fields, refund_fields

API_KEY_PATTERN = re.compile(r"^test_\w+$")
PAYMENT_ID_PATTERN = re.compile(r"^tr_[A-Za-z0-9]{10}$")
# The Mollie client sends an Idempotency-Key on every request that changes something.
IDEMPOTENT_METHODS = frozenset({"POST", "PATCH", "DELETE"})
PAYMENT = r"/v2/payments/(?P<payment_id>[^/]+)"
CHILD = r"/(?P<child_id>[^/]+)"
# GET /v2/payments/{id}?embed=refunds,chargebacks,captures
EMBEDDABLE = {
    "refunds": (lambda payment: payment.refunds, refund_json),
    "chargebacks": (lambda payment: payment.chargebacks, chargeback_json),
    "captures": (lambda payment: payment.captures, capture_json),
}


@dataclass(frozen=True)
class ApiRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: Mapping[str, str]
    body: bytes


def _authenticate(authorization: str | None) -> str:
    scheme, _, key = (authorization or "").partition(" ")
    key = key.strip()
    if scheme == "Bearer" and key.startswith("live_"):
        raise ApiError(
            401,
            "The Mollie simulator accepts test API keys only (test_...); never give it a live key.",
            documentation=AUTHENTICATION_DOCUMENTATION,
        )
    if scheme != "Bearer" or not API_KEY_PATTERN.match(key):
        raise ApiError(
            401, "Missing authentication, or failed to authenticate", documentation=AUTHENTICATION_DOCUMENTATION
        )
    return key


def _decode(raw: bytes) -> tuple[object, ApiError | None]:
    if not raw.strip():
        return None, None
    try:
        return json.loads(raw), None
    except ValueError as exc:  # includes UnicodeDecodeError
        return None, ApiError(400, f"The request body is not valid JSON: {exc}.")


class Api:
    def __init__(self, store: Store, urls: Urls):
        self._store = store
        self._urls = urls
        routes = [
            ("POST", "/v2/payments", self._create_payment),
            ("GET", "/v2/payments", self._list_payments),
            ("GET", PAYMENT, self._get_payment),
            ("DELETE", PAYMENT, self._cancel_payment),
            ("POST", PAYMENT + "/refunds", self._create_refund),
            ("GET", PAYMENT + "/refunds", self._list_refunds),
            ("GET", PAYMENT + "/refunds" + CHILD, self._get_refund),
            ("GET", PAYMENT + "/chargebacks", self._list_chargebacks),
            ("GET", PAYMENT + "/chargebacks" + CHILD, self._get_chargeback),
            ("POST", PAYMENT + "/captures", self._create_capture),
            ("GET", PAYMENT + "/captures", self._list_captures),
            ("GET", PAYMENT + "/captures" + CHILD, self._get_capture),
            ("GET", "/v2/methods", self._list_methods),
            ("GET", "/v2/methods/(?P<method_id>[^/]+)", self._get_method),
        ]
        self._routes = [(method, re.compile(pattern + "/?$"), handler) for method, pattern, handler in routes]

    def handle(self, request: ApiRequest) -> Reply:
        body, json_error = _decode(request.body)
        idempotency_key = request.headers.get("Idempotency-Key")
        try:
            api_key = _authenticate(request.headers.get("Authorization"))
            if json_error:
                raise json_error
            with self._store.lock:
                reply = self._idempotent(api_key, idempotency_key, request, body)
        except ApiError as error:
            reply = json_reply(error.status, error.body())
        self._store.log_request(
            {
                "method": request.method,
                "path": request.path,
                "query": dict(request.query),
                "idempotency_key": idempotency_key,
                "request_id": request.headers.get("X-Request-Id"),
                "body": body,
                "status": reply.status,
            }
        )
        return reply

    def _idempotent(self, api_key: str, key: str | None, request: ApiRequest, body) -> Reply:
        """Replay the recorded reply for a repeated key, refuse a reused key, or route and record."""
        if not key or request.method not in IDEMPOTENT_METHODS:
            return self._route(request, body)
        fingerprint = (request.method, request.path, json.dumps(body, sort_keys=True))
        seen = self._store.idempotency.get((api_key, key))
        if seen is not None:
            seen_fingerprint, seen_reply = seen
            if seen_fingerprint != fingerprint:
                raise unprocessable(
                    f"The Idempotency-Key {key!r} was already used for a different request "
                    f"({seen_fingerprint[0]} {seen_fingerprint[1]} with another body). Use a new key for a new request."
                )
            return seen_reply.with_header("Idempotent-Replayed", "true")
        reply = self._route(request, body)
        if reply.status < 500:
            self._store.idempotency[(api_key, key)] = (fingerprint, reply)
        return reply

    def _route(self, request: ApiRequest, body) -> Reply:
        path_exists = False
        for method, pattern, handler in self._routes:
            match = pattern.match(request.path)
            if match is None:
                continue
            path_exists = True
            if method == request.method:
                try:
                    return handler(request=request, body=body, **match.groupdict())
                except ApiError as error:
                    return json_reply(error.status, error.body())
                except PaymentStateError as error:
                    return json_reply(422, unprocessable(str(error), error.field).body())
        if path_exists:
            raise ApiError(405, f"The method {request.method} is not supported for {request.path}.")
        raise ApiError(404, f"No API endpoint exists at {request.method} {request.path}.")

    def _payment(self, payment_id: str) -> Payment:
        if not PAYMENT_ID_PATTERN.match(payment_id) or payment_id not in self._store.payments:
            raise payment_not_found(payment_id)
        return self._store.payments[payment_id]

    def _payment_reply(self, status: int, payment: Payment) -> Reply:
        return json_reply(status, payment_json(payment, self._urls))

    # Payments

    def _create_payment(self, *, request, body) -> Reply:
        payment = self._store.add_payment(new_payment(**payment_fields(body)))
        return self._payment_reply(201, payment)

    def _list_payments(self, *, request, body) -> Reply:
        limit = request.query.get("limit", "50")
        if not limit.isdigit() or not 1 <= int(limit) <= 250:
            raise unprocessable("The limit must be a number from 1 to 250.", "limit")
        newest_first = list(reversed(self._store.payments.values()))[: int(limit)]
        items = [payment_json(payment, self._urls) for payment in newest_first]
        return json_reply(200, list_json("payments", items, f"{self._urls.api}/v2/payments", "list-payments"))

    def _get_payment(self, *, request, body, payment_id) -> Reply:
        payment = self._payment(payment_id)
        data = payment_json(payment, self._urls)
        embedded = {}
        for name in filter(None, request.query.get("embed", "").split(",")):
            if name not in EMBEDDABLE:
                raise ApiError(400, f"Cannot embed {name!r}; choose from {', '.join(EMBEDDABLE)}.")
            records, render = EMBEDDABLE[name]
            embedded[name] = [render(record, payment, self._urls) for record in records(payment)]
        if embedded:
            data["_embedded"] = embedded
        return json_reply(200, data)

    def _cancel_payment(self, *, request, body, payment_id) -> Reply:
        self._payment(payment_id)
        return self._payment_reply(200, self._store.cancel(payment_id))

    # Refunds, chargebacks and captures hang off a payment

    def _children(self, payment: Payment, name: str, records, render, docs_page: str) -> Reply:
        items = [render(record, payment, self._urls) for record in records]
        return json_reply(200, list_json(name, items, f"{self._urls.payment(payment.id)}/{name}", docs_page))

    def _child(self, payment: Payment, kind: str, records, child_id: str, render) -> Reply:
        for record in records:
            if record.id == child_id:
                return json_reply(200, render(record, payment, self._urls))
        raise ApiError(404, f"No {kind} exists with token {child_id}.")

    def _create_refund(self, *, request, body, payment_id) -> Reply:
        payment = self._payment(payment_id)
        refund = self._store.add_refund(payment_id, **refund_fields(body))
        return json_reply(201, refund_json(refund, payment, self._urls))

    def _list_refunds(self, *, request, body, payment_id) -> Reply:
        payment = self._payment(payment_id)
        return self._children(payment, "refunds", payment.refunds, refund_json, "list-refunds")

    def _get_refund(self, *, request, body, payment_id, child_id) -> Reply:
        payment = self._payment(payment_id)
        return self._child(payment, "refund", payment.refunds, child_id, refund_json)

    def _list_chargebacks(self, *, request, body, payment_id) -> Reply:
        payment = self._payment(payment_id)
        return self._children(payment, "chargebacks", payment.chargebacks, chargeback_json, "list-chargebacks")

    def _get_chargeback(self, *, request, body, payment_id, child_id) -> Reply:
        payment = self._payment(payment_id)
        return self._child(payment, "chargeback", payment.chargebacks, child_id, chargeback_json)

    def _create_capture(self, *, request, body, payment_id) -> Reply:
        payment = self._payment(payment_id)
        capture = self._store.capture(payment_id, **capture_fields(body))
        return json_reply(201, capture_json(capture, payment, self._urls))

    def _list_captures(self, *, request, body, payment_id) -> Reply:
        payment = self._payment(payment_id)
        return self._children(payment, "captures", payment.captures, capture_json, "list-captures")

    def _get_capture(self, *, request, body, payment_id, child_id) -> Reply:
        payment = self._payment(payment_id)
        return self._child(payment, "capture", payment.captures, child_id, capture_json)

    # Methods

    def _list_methods(self, *, request, body) -> Reply:
        currency = request.query.get("amount[currency]", "EUR")
        items = [
            method_json(spec, currency=currency, api_url=self._urls.api, public_url=self._urls.public)
            for spec in methods_for_query(request.query)
        ]
        return json_reply(200, list_json("methods", items, f"{self._urls.api}/v2/methods", "list-methods"))

    def _get_method(self, *, request, body, method_id) -> Reply:
        if method_id not in METHODS:
            raise ApiError(404, f"No method exists with id {method_id}.")
        spec = METHODS[method_id]
        return json_reply(200, method_json(spec, currency="EUR", api_url=self._urls.api, public_url=self._urls.public))
