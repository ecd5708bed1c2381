"""Payments at Mollie, as this shop knows them.

Oscar records money on the order (payment sources and events, shown in the
dashboard); these models carry what Mollie needs: the payment's id, its
idempotency key, its last known status, and the refunds and chargebacks on it.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .constants import PaymentStatus, RefundStatus, method_name

# A create claimed longer ago than this is presumed dead (its process crashed): another may retry it.
CREATE_CLAIM_TIMEOUT = timedelta(seconds=30)
# A sync queued longer ago than this and not yet started is presumed lost (a broker crash): the next
# webhook queues another.
SYNC_QUEUE_TIMEOUT = timedelta(minutes=10)


class Payment(models.Model):
    """One attempt to pay an order; a failed attempt is followed by a new one."""

    order = models.ForeignKey("order.Order", on_delete=models.PROTECT, related_name="mollie_payments")
    attempt = models.PositiveSmallIntegerField()
    # Sent with the create call: a retried create returns the same Mollie payment.
    idempotency_key = models.CharField(max_length=64, unique=True)
    mollie_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    method = models.CharField(max_length=32)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=16, choices=PaymentStatus.choices, default=PaymentStatus.CREATED)
    checkout_url = models.URLField(max_length=1000, blank=True)
    # Set by the one request that calls Mollie's create; others wait for its result.
    create_claimed_at = models.DateTimeField(null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)  # Mollie's method details (card label, IBAN, transfer data)
    amount_refunded = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    amount_charged_back = models.DecimalField(max_digits=12, decimal_places=2, default=Decimal("0.00"))
    paid_at = models.DateTimeField(null=True, blank=True)
    instructions_sent_at = models.DateTimeField(null=True, blank=True)  # bank transfer details emailed
    # The shopper gave this payment up (went back to the basket): if it is paid after all, it is refunded.
    abandoned_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    # Set when a webhook queues a sync, cleared when the sync starts: repeated deliveries meanwhile add nothing.
    sync_queued_at = models.DateTimeField(null=True, blank=True)
    # The checkout request that started this attempt: the syncs its webhooks queue log under it, so one id
    # follows the order from the checkout through the payment to the confirmation email.
    request_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "attempt"]
        constraints = [models.UniqueConstraint(fields=["order", "attempt"], name="payment_attempt_unique")]
        indexes = [
            models.Index(
                fields=["synced_at"],
                name="payment_unfinished_idx",
                condition=Q(status__in=["created", "open", "pending"]),
            )
        ]

    def __str__(self):
        return f"{self.mollie_id or self.idempotency_key} ({self.status})"

    def get_method_display(self) -> str:
        return method_name(self.method)

    @property
    def is_being_created(self) -> bool:
        """Another request claimed the create call moments ago and is waiting for Mollie's answer."""
        return bool(self.create_claimed_at) and timezone.now() - self.create_claimed_at < CREATE_CLAIM_TIMEOUT

    def is_live_create(self, now) -> bool:
        """Not yet at Mollie but maybe on its way there: claimed less than CREATE_CLAIM_TIMEOUT ago, or,
        unclaimed (never yet, or released after Mollie refused or was unreachable), written that recently."""
        started = self.create_claimed_at or self.created_at
        return not self.mollie_id and now - started < CREATE_CLAIM_TIMEOUT

    @property
    def refundable(self) -> Decimal:
        return self.amount - self.amount_refunded - self.amount_charged_back


class Refund(models.Model):
    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    idempotency_key = models.CharField(max_length=64, unique=True)
    mollie_id = models.CharField(max_length=64, unique=True, null=True, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    description = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=16, choices=RefundStatus.choices, default=RefundStatus.CREATED)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.mollie_id or self.idempotency_key}: {self.amount} {self.currency} ({self.status})"


class Chargeback(models.Model):
    """A payment the shopper's bank took back: recorded for staff, never initiated by us."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="chargebacks")
    mollie_id = models.CharField(max_length=64, unique=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    currency = models.CharField(max_length=3)
    reason = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField()
    # The bank gave the money back (Mollie's reversedAt): no longer counted against the payment.
    reversed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.mollie_id}: {self.amount} {self.currency}"
