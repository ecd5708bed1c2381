"""Guests finding their order by number and email address: how many tries, and what each answer says.

Two counters, each over 15 minutes (SHOP_ORDER_LOOKUP_RATE tries):
- per client (`client_key`: its address, or its IPv6 /64): every try counts; past the limit the
  answer is "too many attempts".
- per order number: only misses count. Once a number has had its misses, the page stops saying
  whether that number and an address match, to everyone: it says that if they match, the order's
  link has been emailed, and a worker emails it to the order's own address when they do. The
  lookup is then no oracle, however many clients guess addresses for a known number, and no one
  can lock a guest out of their order: their mailbox always gets them in.
The request does the same work whether or not the pair matches (the worker decides), so its
timing says nothing either.
"""

import enum
from dataclasses import dataclass

from django.conf import settings
from oscar.core.loading import get_model

from shop.http.throttle import throttle_hit, throttle_spent
from shop.outbox.services import outbox_enqueue_by_name

from .constants import SEND_ORDER_LINK
from .selectors import guest_order_find

Order = get_model("order", "Order")

WINDOW_SECONDS = 15 * 60


class LookupAnswer(enum.Enum):
    FOUND = "found"
    MISSED = "missed"
    TOO_MANY = "too many"
    LINK_EMAILED = "link emailed if they match"


@dataclass(frozen=True)
class Lookup:
    answer: LookupAnswer
    order: Order | None = None


def order_lookup_attempt(*, number: str, email: str, client: str) -> Lookup:
    """One try of `client` (a `client_key`) at a guest order's `number` (as the form cleans it) and `email`."""
    limit = settings.SHOP_ORDER_LOOKUP_RATE
    if not throttle_hit(f"order-lookup:{client}", limit=limit, window_seconds=WINDOW_SECONDS):
        return Lookup(LookupAnswer.TOO_MANY)
    misses = f"order-lookup-misses:{number}"
    if throttle_spent(misses, limit=limit):
        outbox_enqueue_by_name(actor_name=SEND_ORDER_LINK, args=(number, email))
        return Lookup(LookupAnswer.LINK_EMAILED)
    order = guest_order_find(number=number, email=email)
    if order is None:
        throttle_hit(misses, limit=limit, window_seconds=WINDOW_SECONDS)
        return Lookup(LookupAnswer.MISSED)
    return Lookup(LookupAnswer.FOUND, order)
