"""The simulator's records written out as Mollie's v2 JSON resources (field names, nesting and _links)."""

from dataclasses import dataclass

from .money import money
from .state import Capture, Chargeback, Payment, Refund

HAL = "application/hal+json"


def _link(href: str, type_: str = HAL) -> dict:
    return {"href": href, "type": type_}


def _docs(page: str) -> dict:
    return _link(f"https://docs.mollie.com/reference/{page}", "text/html")


@dataclass(frozen=True)
class Urls:
    """API links point at the API base; pages a browser opens point at the public base (they differ behind a proxy)."""

    api: str
    public: str

    def payment(self, payment_id: str) -> str:
        return f"{self.api}/v2/payments/{payment_id}"

    def checkout(self, payment_id: str) -> str:
        return f"{self.public}/checkout/{payment_id}"

    def dashboard(self, payment_id: str) -> str:
        return f"{self.public}/dashboard/payments/{payment_id}"


def payment_json(payment: Payment, urls: Urls) -> dict:
    body = {
        "resource": "payment",
        "id": payment.id,
        "mode": "test",
        "createdAt": payment.created_at,
        "amount": money(payment.amount, payment.currency),
        "description": payment.description,
        "method": payment.method,
        "metadata": payment.metadata,
        "status": payment.status,
        **payment.timestamps,
        "isCancelable": payment.is_cancelable,
    }
    if payment.awaiting_shopper:
        body["expiresAt"] = payment.expires_at
    if payment.capture_before and payment.status == "authorized":
        body["captureBefore"] = payment.capture_before
    if payment.status == "paid":
        body["amountRefunded"] = money(payment.amount_refunded, payment.currency)
        body["amountRemaining"] = money(payment.amount_remaining, payment.currency)
        body["settlementAmount"] = money(payment.amount_received, payment.currency)
    if payment.captures:
        body["amountCaptured"] = money(payment.amount_captured, payment.currency)
    if payment.chargebacks:
        body["amountChargedBack"] = money(payment.amount_charged_back, payment.currency)
    if payment.locale:
        body["locale"] = payment.locale
    body["profileId"] = "pfl_simulator"
    body["sequenceType"] = "oneoff"
    body["redirectUrl"] = payment.redirect_url
    for key, value in (
        ("cancelUrl", payment.cancel_url),
        ("webhookUrl", payment.webhook_url),
        ("billingAddress", payment.billing_address),
        ("captureMode", payment.capture_mode),
    ):
        if value is not None:
            body[key] = value
    body["details"] = payment.details
    body["_links"] = _payment_links(payment, urls)
    return body


def _payment_links(payment: Payment, urls: Urls) -> dict:
    links = {"self": _link(urls.payment(payment.id))}
    if payment.awaiting_shopper:
        links["checkout"] = _link(urls.checkout(payment.id), "text/html")
    links["dashboard"] = _link(urls.dashboard(payment.id), "text/html")
    for name, records in (
        ("refunds", payment.refunds),
        ("chargebacks", payment.chargebacks),
        ("captures", payment.captures),
    ):
        if records:
            links[name] = _link(f"{urls.payment(payment.id)}/{name}")
    links["documentation"] = _docs("get-payment")
    return links


def _child_links(payment: Payment, urls: Urls, kind: str, child_id: str, docs_page: str) -> dict:
    return {
        "self": _link(f"{urls.payment(payment.id)}/{kind}/{child_id}"),
        "payment": _link(urls.payment(payment.id)),
        "documentation": _docs(docs_page),
    }


def refund_json(refund: Refund, payment: Payment, urls: Urls) -> dict:
    return {
        "resource": "refund",
        "id": refund.id,
        "mode": "test",
        "amount": money(refund.amount, payment.currency),
        "status": refund.status,
        "createdAt": refund.created_at,
        "description": refund.description,
        "metadata": refund.metadata,
        "paymentId": payment.id,
        # Money leaves the merchant's balance: Mollie writes settlement amounts of refunds as negative.
        "settlementAmount": money(-refund.amount, payment.currency),
        "_links": _child_links(payment, urls, "refunds", refund.id, "get-refund"),
    }


def chargeback_json(chargeback: Chargeback, payment: Payment, urls: Urls) -> dict:
    body = {
        "resource": "chargeback",
        "id": chargeback.id,
        "amount": money(chargeback.amount, payment.currency),
        "createdAt": chargeback.created_at,
        "reason": chargeback.reason,
        "paymentId": payment.id,
        "settlementAmount": money(-chargeback.amount, payment.currency),
    }
    if chargeback.reversed_at:
        body["reversedAt"] = chargeback.reversed_at
    body["_links"] = _child_links(payment, urls, "chargebacks", chargeback.id, "get-chargeback")
    return body


def capture_json(capture: Capture, payment: Payment, urls: Urls) -> dict:
    return {
        "resource": "capture",
        "id": capture.id,
        "mode": "test",
        "description": capture.description,
        "amount": money(capture.amount, payment.currency),
        "settlementAmount": money(capture.amount, payment.currency),
        "status": capture.status,
        "metadata": capture.metadata,
        "paymentId": payment.id,
        "createdAt": capture.created_at,
        "_links": _child_links(payment, urls, "captures", capture.id, "get-capture"),
    }


def list_json(name: str, items: list[dict], self_href: str, docs_page: str) -> dict:
    """Mollie's list envelope; the client reads items from _embedded[name]."""
    return {
        "count": len(items),
        "_embedded": {name: items},
        "_links": {
            "self": _link(self_href),
            "previous": None,
            "next": None,
            "documentation": _docs(docs_page),
        },
    }
