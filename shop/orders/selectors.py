"""Reads about orders for shopper pages."""

from datetime import timedelta

from django.utils import timezone
from oscar.core.loading import get_model

from . import statuses

Order = get_model("order", "Order")


def guest_order_find(*, number: str, email: str):
    """The guest order with this number placed with this email address, or None (same answer for both misses)."""
    return Order._default_manager.filter(user=None, number=number.strip(), guest_email__iexact=email.strip()).first()


# How long after placing an order a shopper who comes back to the checkout is sent on to pay it.
RESUME_WINDOW = timedelta(hours=1)


def order_to_resume(*, user, basket_id: int | None):
    """The order a shopper placed moments ago and has not paid, found from the next request: a signed-in
    shopper's latest, or the one placed from the anonymous basket their cookie still names. A placement
    whose answer never reached the browser (a dropped connection, a crash) is resumed, not placed again."""
    recent = Order._default_manager.filter(
        status=statuses.PENDING_PAYMENT, date_placed__gte=timezone.now() - RESUME_WINDOW
    ).order_by("-date_placed")
    if user.is_authenticated:
        return recent.filter(user=user).first()
    if basket_id is None:
        return None
    return recent.filter(user=None, basket_id=basket_id).first()
