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


# Where each status may go next. Fetches can arrive out of order (the return page and a
# webhook task fetch at the same time): a state older than the one we know is ignored.
PAYMENT_MOVES = {
    PaymentStatus.CREATED: {"open", "pending", "authorized", "paid", "canceled", "expired", "failed"},
    PaymentStatus.OPEN: {"pending", "authorized", "paid", "canceled", "expired", "failed"},
    PaymentStatus.PENDING: {"authorized", "paid", "canceled", "expired", "failed"},
    PaymentStatus.AUTHORIZED: {"paid", "canceled", "expired", "failed"},
    PaymentStatus.PAID: set(),
    PaymentStatus.CANCELED: set(),
    PaymentStatus.EXPIRED: set(),
    PaymentStatus.FAILED: set(),
}

# The shopper can still finish these; the order waits.
UNFINISHED = (PaymentStatus.CREATED, PaymentStatus.OPEN, PaymentStatus.PENDING)
# These ended without money; the shopper may choose again.
UNSUCCESSFUL = (PaymentStatus.CANCELED, PaymentStatus.EXPIRED, PaymentStatus.FAILED)
# Mollie never changes these; a different one arriving afterwards means Mollie and the shop disagree.
FINAL = (PaymentStatus.PAID, *UNSUCCESSFUL)


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
REFUND_FINAL = (RefundStatus.REFUNDED, *REFUND_VOID)
REFUND_ORDER = [RefundStatus.CREATED, RefundStatus.QUEUED, RefundStatus.PENDING, RefundStatus.PROCESSING]


def refund_move_allowed(old: str, new: str) -> bool:
    """Refunds move forward only; a final state never changes."""
    if old in REFUND_FINAL or old == new:
        return False
    return new in REFUND_FINAL or REFUND_ORDER.index(new) > REFUND_ORDER.index(old)


BANK_TRANSFER = "banktransfer"

# Oscar payment event type names (shown on the dashboard's order page).
EVENT_PAID = "Paid"
EVENT_AUTHORIZED = "Authorized"
EVENT_REFUNDED = "Refunded"
EVENT_CHARGEBACK = "Chargeback"
EVENT_CHARGEBACK_REVERSED = "Chargeback reversed"

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


# The payments queue's actors that services queue, by name. The actors (tasks.py) call the services,
# so the services name them instead of importing them: tasks sit above services, beside views.
SYNC_PAYMENT = "sync_payment"
SEND_REFUND = "send_refund"
CAPTURE_PAYMENT = "capture_payment"
