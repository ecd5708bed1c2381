"""Mollie's vocabulary, and the names the shop records payments under."""

from django.db import models


class PaymentStatus(models.TextChoices):
    CREATED = "created", "Not yet sent to Mollie"
    OPEN = "open", "Open"
    PENDING = "pending", "Pending"
    AUTHORIZED = "authorized", "Authorized"
    PAID = "paid", "Paid"
    CANCELED = "canceled", "Canceled"
    EXPIRED = "expired", "Expired"
    FAILED = "failed", "Failed"


# The shopper can still finish these; the order waits.
UNFINISHED = (PaymentStatus.CREATED, PaymentStatus.OPEN, PaymentStatus.PENDING)
# These ended without money; the shopper may choose again.
UNSUCCESSFUL = (PaymentStatus.CANCELED, PaymentStatus.EXPIRED, PaymentStatus.FAILED)


class RefundStatus(models.TextChoices):
    CREATED = "created", "Not yet sent to Mollie"
    QUEUED = "queued", "Queued"
    PENDING = "pending", "Pending"
    PROCESSING = "processing", "Processing"
    REFUNDED = "refunded", "Refunded"
    FAILED = "failed", "Failed"
    CANCELED = "canceled", "Canceled"


# Refunds that did not (and will not) return money.
REFUND_VOID = (RefundStatus.FAILED, RefundStatus.CANCELED)

BANK_TRANSFER = "banktransfer"

# Oscar payment event type names (shown on the dashboard's order page).
EVENT_PAID = "Paid"
EVENT_AUTHORIZED = "Authorized"
EVENT_REFUNDED = "Refunded"
EVENT_CHARGEBACK = "Chargeback"

# How methods are named to shoppers when Mollie's own description is not at hand.
METHOD_NAMES = {
    "creditcard": "Card",
    "ideal": "iDEAL",
    "bancontact": "Bancontact",
    "paypal": "PayPal",
    "banktransfer": "Bank transfer",
    "klarna": "Pay later (Klarna)",
    "applepay": "Apple Pay",
    "belfius": "Belfius",
    "kbc": "KBC/CBC",
    "eps": "EPS",
    "przelewy24": "Przelewy24",
}


def method_name(method_id: str) -> str:
    return METHOD_NAMES.get(method_id, method_id.replace("_", " ").title())
