"""Limits on what one unpaid order may hold, and on how many one email address may have waiting.

An order pending payment holds its stock until it is paid or times out, so these are checked
inside order placement, under the basket's lock, after the forms have checked them already:
a basket can be filled around the forms (a merge at sign-in, an old basket, a lowered setting).
"""

from collections import Counter

from django.conf import settings
from django.db import connection
from django.db.models import Q
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.core.loading import get_model

from . import statuses

Order = get_model("order", "Order")


class QuantityNotAllowed(UnableToPlaceOrder):
    """More units of one product, or in all, than one order may hold; the message says which."""


class TooManyUnpaidOrders(UnableToPlaceOrder):
    """The email address has SHOP_UNPAID_ORDERS_PER_EMAIL orders waiting for payment already."""


def line_quantities_check(*, basket) -> None:
    """Refuse a basket with more than SHOP_MAX_LINE_QUANTITY units of one product, or more than
    OSCAR_MAX_BASKET_QUANTITY_THRESHOLD units in all."""
    per_product = Counter()
    titles = {}
    for line in basket.all_lines():
        per_product[line.product_id] += line.quantity
        titles[line.product_id] = line.product.get_title()
    for product_id, quantity in per_product.items():
        if quantity > settings.SHOP_MAX_LINE_QUANTITY:
            raise QuantityNotAllowed(
                f"Sorry, one order can hold at most {settings.SHOP_MAX_LINE_QUANTITY} of “{titles[product_id]}”: "
                "please change the quantity in your basket."
            )
    limit = settings.OSCAR_MAX_BASKET_QUANTITY_THRESHOLD
    if limit and sum(per_product.values()) > limit:
        raise QuantityNotAllowed(
            f"Sorry, one order can hold at most {limit} items: please change the quantities in your basket."
        )


def unpaid_orders_check(*, email: str) -> None:
    """Refuse a new order for `email` while SHOP_UNPAID_ORDERS_PER_EMAIL of its orders wait for payment.

    Counted in the database, not in a time window: paying, giving up or the timeout frees a place,
    and the owner of the address can free one from the link in the email each order sent.
    Call inside the placing transaction.
    """
    email = email.strip().lower()
    if not email:
        return
    # Two checkouts for one address at once would both count the same orders: one waits for the other.
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"unpaid-orders:{email}"])
    waiting = Order._default_manager.filter(
        Q(guest_email__iexact=email) | Q(user__email__iexact=email), status=statuses.PENDING_PAYMENT
    )
    if waiting.count() >= settings.SHOP_UNPAID_ORDERS_PER_EMAIL:
        raise TooManyUnpaidOrders(
            "Orders for this email address are already waiting for payment. Please pay or cancel one of them "
            "(the link is in its email), or wait until it expires, before placing another."
        )
