"""Reads about payments: which methods Mollie offers, and an order's payments."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.cache import cache

from . import gateway
from .constants import PaymentStatus
from .models import Chargeback, Payment


@dataclass(frozen=True)
class MethodOption:
    id: str
    name: str
    image_url: str


def payment_methods_for(*, amount: Decimal, currency: str, country: str, locale: str = "en_US") -> list[MethodOption]:
    """Mollie's activated methods for this amount, currency and billing country (briefly cached).

    Raises ProviderUnavailable when Mollie cannot be asked and nothing is cached.
    """
    key = f"mollie-methods:{currency}:{amount:.2f}:{country}:{locale}"
    options = cache.get(key)
    if options is None:
        options = [
            MethodOption(
                id=method["id"],
                name=method.get("description") or method["id"],
                image_url=(method.get("image") or {}).get("svg") or (method.get("image") or {}).get("size2x", ""),
            )
            for method in gateway.list_methods(amount=amount, currency=currency, country=country, locale=locale)
        ]
        cache.set(key, options, settings.MOLLIE_METHODS_CACHE_SECONDS)
    return options


def payment_latest(order) -> Payment | None:
    return order.mollie_payments.order_by("-attempt").first()


def payment_paid(order) -> Payment | None:
    return order.mollie_payments.filter(status=PaymentStatus.PAID).order_by("-attempt").first()


def order_payments_with_history(order) -> list[Payment]:
    """An order's payments with their refunds and chargebacks, in three queries however many there are."""
    return list(order.mollie_payments.order_by("attempt").prefetch_related("refunds__created_by", "chargebacks"))


def order_open_chargebacks(order) -> list[Chargeback]:
    """Chargebacks on the order's payments that the bank has not reversed: while any is open the
    order ships only on a staff override."""
    return list(Chargeback.objects.filter(payment__order=order, reversed_at__isnull=True).order_by("created_at"))


def order_transfer_deadline(order) -> datetime:
    """Until when an order paid by bank transfer holds its stock: the transfer must arrive by then
    (the same moment orders_to_cancel counts from; Mollie's dueDate is that day)."""
    return order.date_placed + timedelta(minutes=settings.SHOP_BANKTRANSFER_TIMEOUT_MINUTES)
