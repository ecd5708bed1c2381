"""Everything the simulator remembers, and the only code that changes it.

One re-entrant lock guards it all: the HTTP handler holds it for a whole API request, so two
concurrent requests with the same Idempotency-Key cannot both create a payment.
"""

import secrets
import string
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from .methods import METHODS
from .validation import MOLLIE_TIME_ZONE

STATUSES = ("open", "pending", "authorized", "paid", "failed", "canceled", "expired")
FINAL_STATUSES = frozenset({"paid", "failed", "canceled", "expired"})
STATUS_TIMESTAMPS = {
    "authorized": "authorizedAt",
    "paid": "paidAt",
    "failed": "failedAt",
    "canceled": "canceledAt",
    "expired": "expiredAt",
}
# Mollie's defaults: most methods give the shopper 15 minutes, a bank transfer 12 days, and an
# authorization must be captured within 28 days.
CHECKOUT_EXPIRY = timedelta(minutes=15)
BANKTRANSFER_EXPIRY = timedelta(days=12)
CAPTURE_WINDOW = timedelta(days=28)


def now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def iso(moment: datetime) -> str:
    return moment.isoformat()


def new_id(prefix: str, length: int = 10) -> str:
    alphabet = string.ascii_letters + string.digits
    return prefix + "".join(secrets.choice(alphabet) for _ in range(length))


def _digits(count: int) -> str:
    return "".join(secrets.choice(string.digits) for _ in range(count))


class PaymentStateError(ValueError):
    """The payment's state does not allow the change; the API answers 422 with `field` when given."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


@dataclass
class Refund:
    id: str
    amount: Decimal
    description: str
    metadata: object
    created_at: str
    status: str = "pending"


@dataclass
class Chargeback:
    id: str
    amount: Decimal
    created_at: str
    reason: dict = field(default_factory=lambda: {"code": "AC01", "description": "Account identifier incorrect"})
    # The merchant won the dispute and the money came back (Mollie's reversedAt).
    reversed_at: str | None = None


@dataclass
class Capture:
    id: str
    amount: Decimal
    description: str
    metadata: object
    created_at: str
    status: str = "succeeded"


@dataclass
class Payment:
    id: str
    created_at: str
    amount: Decimal
    currency: str
    description: str
    redirect_url: str
    webhook_url: str | None
    cancel_url: str | None
    metadata: object
    locale: str | None
    billing_address: dict | None
    method: str | None
    # The methods the shopper may choose from in the hosted checkout.
    choices: tuple[str, ...]
    capture_mode: str | None
    expires_at: str
    status: str = "open"
    timestamps: dict[str, str] = field(default_factory=dict)
    capture_before: str | None = None
    due_date: str | None = None  # a bank transfer's dueDate, YYYY-MM-DD
    details: dict | None = None
    refunds: list[Refund] = field(default_factory=list)
    chargebacks: list[Chargeback] = field(default_factory=list)
    captures: list[Capture] = field(default_factory=list)

    @property
    def is_cancelable(self) -> bool:
        return self.status == "open"

    @property
    def awaiting_shopper(self) -> bool:
        return self.status in ("open", "pending")

    @property
    def amount_refunded(self) -> Decimal:
        return sum((r.amount for r in self.refunds), Decimal("0.00"))

    @property
    def amount_charged_back(self) -> Decimal:
        """What the banks hold back now: a reversed chargeback's money came back."""
        return sum((c.amount for c in self.chargebacks if c.reversed_at is None), Decimal("0.00"))

    @property
    def amount_captured(self) -> Decimal:
        return sum((c.amount for c in self.captures), Decimal("0.00"))

    @property
    def amount_received(self) -> Decimal:
        """What the shop got: the captured amount for pay-later payments, else the whole amount."""
        return self.amount_captured if self.captures else self.amount

    @property
    def amount_remaining(self) -> Decimal:
        return self.amount_received - self.amount_refunded - self.amount_charged_back


def new_payment(*, amount: Decimal, currency: str, method: str | None, **fields) -> Payment:
    created = now()
    payment = Payment(
        id=new_id("tr_"),
        created_at=iso(created),
        amount=amount,
        currency=currency,
        method=method,
        expires_at=iso(created + CHECKOUT_EXPIRY),
        **fields,
    )
    if method:
        _choose_method(payment, method)
    return payment


def _choose_method(payment: Payment, method: str) -> None:
    payment.method = method
    if method == "banktransfer":
        payment.expires_at = iso(datetime.fromisoformat(payment.created_at) + BANKTRANSFER_EXPIRY)
        if payment.due_date:  # Mollie gives the date only: the transfer may be paid until that day ends
            day_after = date.fromisoformat(payment.due_date) + timedelta(days=1)
            payment.expires_at = iso(datetime.combine(day_after, time(), tzinfo=MOLLIE_TIME_ZONE))
        payment.details = {
            "bankName": "Stichting Mollie Payments",
            "bankAccount": "NL53ABNA0627535577",
            "bankBic": "ABNANL2A",
            "transferReference": f"RF{_digits(2)}-{_digits(4)}-{_digits(4)}-{_digits(4)}",
        }


def _shopper_details(method: str, status: str) -> dict | None:
    """What Mollie learns about the shopper once the method has been used."""
    card = {"cardNumber": "1111", "cardHolder": "T. TEST", "cardFingerprint": new_id("", 24)}
    if method == "creditcard":
        if status == "failed":
            return {"failureReason": "card_declined", "failureMessage": "The card was declined."}
        return {**card, "cardLabel": "Visa", "cardAudience": "consumer", "cardCountryCode": "NL"}
    if method == "bancontact":
        return {**card, "consumerName": "T. TEST", "consumerAccount": "BE68539007547034", "consumerBic": "GEBABEBB"}
    if method in ("ideal", "banktransfer"):
        return {"consumerName": "T. TEST", "consumerAccount": "NL55INGB0000000000", "consumerBic": "INGBNL2A"}
    if method == "paypal":
        return {"consumerName": "T. TEST", "consumerAccount": "shopper@example.com", "paypalReference": new_id("", 17)}
    return None


def _default_method(payment: Payment, status: str) -> str:
    if status == "authorized":
        return next((m for m in payment.choices if METHODS[m].authorizes), payment.choices[0])
    return payment.choices[0]


class Store:
    def __init__(self, *, notify: Callable[[Payment], None], refund_settle_delay: float | None = None):
        self.lock = threading.RLock()
        self._notify = notify
        self._refund_settle_delay = refund_settle_delay
        self.reset()

    def reset(self) -> None:
        with self.lock:
            self.payments: dict[str, Payment] = {}
            self.payments_created = 0
            # (api key, Idempotency-Key) -> (request fingerprint, recorded response)
            self.idempotency: dict[tuple[str, str], tuple[tuple, object]] = {}
            self.requests: list[dict] = []

    def log_request(self, entry: dict) -> None:
        with self.lock:
            self.requests.append(entry)

    def add_payment(self, payment: Payment) -> Payment:
        with self.lock:
            self.payments[payment.id] = payment
            self.payments_created += 1
            return payment

    def get(self, payment_id: str) -> Payment:
        with self.lock:
            try:
                return self.payments[payment_id]
            except KeyError:
                raise KeyError(f"No payment {payment_id}") from None

    def set_status(self, payment_id: str, status: str, *, method: str | None = None, notify: bool = True) -> Payment:
        """Move a payment to `status` as the shopper (or bank) would; final statuses never change again."""
        if status not in STATUSES:
            raise ValueError(f"Unknown status {status!r}; expected one of {', '.join(STATUSES)}")
        with self.lock:
            payment = self.get(payment_id)
            if payment.status in FINAL_STATUSES and status != payment.status:
                raise PaymentStateError(f"Payment {payment_id} is already {payment.status}")
            if method and payment.method is None:
                _choose_method(payment, method)
            if payment.method is None and status not in ("open", "canceled", "expired"):
                _choose_method(payment, _default_method(payment, status))
            if status != payment.status:
                self._apply_status(payment, status)
            if notify:
                self._notify(payment)
            return payment

    def _apply_status(self, payment: Payment, status: str) -> None:
        moment = now()
        payment.status = status
        if status in STATUS_TIMESTAMPS:
            payment.timestamps[STATUS_TIMESTAMPS[status]] = iso(moment)
        if status == "authorized":
            payment.capture_before = iso(moment + CAPTURE_WINDOW)
        if status in ("authorized", "paid", "failed") and payment.method:
            learned = _shopper_details(payment.method, status)
            if learned:
                payment.details = {**(payment.details or {}), **learned}

    def cancel(self, payment_id: str) -> Payment:
        with self.lock:
            payment = self.get(payment_id)
            if not payment.is_cancelable:
                raise PaymentStateError(f"The payment has status {payment.status} and cannot be canceled.")
            # No webhook: the merchant asked for the cancel and already holds the answer.
            self._apply_status(payment, "canceled")
            return payment

    def add_refund(self, payment_id: str, *, amount: Decimal, currency: str, description: str, metadata) -> Refund:
        with self.lock:
            payment = self.get(payment_id)
            if payment.status != "paid":
                raise PaymentStateError(f"The payment has status {payment.status} and cannot be refunded.")
            if currency != payment.currency:
                raise PaymentStateError(
                    f"The refund currency must be the payment currency ({payment.currency}).", "amount.currency"
                )
            if amount > payment.amount_remaining:
                raise PaymentStateError(
                    "The amount of the refund is higher than the amount remaining on the payment "
                    f"({payment.currency} {payment.amount_remaining:.2f}).",
                    "amount",
                )
            refund = Refund(new_id("re_"), amount, description, metadata, iso(now()))
            payment.refunds.append(refund)
        if self._refund_settle_delay is not None:
            timer = threading.Timer(self._refund_settle_delay, self.settle_refunds, args=(payment_id,))
            timer.daemon = True
            timer.start()
        return refund

    def settle_refunds(self, payment_id: str | None = None) -> list[tuple[Payment, Refund]]:
        """Pending refunds become refunded; each payment that changed gets its webhook, as at Mollie."""
        with self.lock:
            if payment_id is None:
                payments = list(self.payments.values())
            else:
                # A timer may fire after reset(): a payment that is gone has nothing to settle.
                payments = [self.payments[payment_id]] if payment_id in self.payments else []
            settled = []
            for payment in payments:
                pending = [r for r in payment.refunds if r.status == "pending"]
                for refund in pending:
                    refund.status = "refunded"
                    settled.append((payment, refund))
                if pending:
                    self._notify(payment)
            return settled

    def add_chargeback(self, payment_id: str, amount: Decimal | None = None, *, notify: bool = True) -> Chargeback:
        with self.lock:
            payment = self.get(payment_id)
            if payment.status != "paid":
                raise PaymentStateError(f"Only paid payments can be charged back; {payment_id} is {payment.status}")
            open_amount = payment.amount_received - payment.amount_charged_back
            amount = open_amount if amount is None else amount
            if not Decimal("0") < amount <= open_amount:
                raise PaymentStateError(f"A chargeback must be above 0 and at most {open_amount:.2f}")
            chargeback = Chargeback(new_id("chb_"), amount, iso(now()))
            payment.chargebacks.append(chargeback)
            if notify:
                self._notify(payment)
            return chargeback

    def reverse_chargeback(self, payment_id: str, chargeback_id: str, *, notify: bool = True) -> Chargeback:
        """The merchant won the dispute: the chargeback gets its reversedAt and the money is the merchant's again."""
        with self.lock:
            payment = self.get(payment_id)
            chargeback = next((c for c in payment.chargebacks if c.id == chargeback_id), None)
            if chargeback is None:
                raise KeyError(f"No chargeback {chargeback_id} on payment {payment_id}")
            if chargeback.reversed_at is not None:
                raise PaymentStateError(f"Chargeback {chargeback_id} is already reversed")
            chargeback.reversed_at = iso(now())
            if notify:
                self._notify(payment)
            return chargeback

    def capture(
        self, payment_id: str, *, amount: Decimal | None, currency: str | None, description: str, metadata
    ) -> Capture:
        with self.lock:
            payment = self.get(payment_id)
            if payment.status != "authorized":
                raise PaymentStateError(
                    f"The payment has status {payment.status}; only authorized payments can be captured."
                )
            if currency is not None and currency != payment.currency:
                raise PaymentStateError(
                    f"The capture currency must be the payment currency ({payment.currency}).", "amount.currency"
                )
            amount = payment.amount if amount is None else amount
            if amount > payment.amount:
                raise PaymentStateError("The capture amount is higher than the authorized amount.", "amount")
            capture = Capture(new_id("cpt_"), amount, description, metadata, iso(now()))
            payment.captures.append(capture)
            self._apply_status(payment, "paid")
            self._notify(payment)
            return capture
