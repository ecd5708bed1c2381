"""Placing an order before payment, and the moves its payment makes.

An order is written in "Pending payment" before the shopper leaves for the
payment provider, with its stock allocated under row locks: concurrent buyers
can never allocate more than is in stock, and a double submit of one basket
finds the order the first submit placed.
"""

import logging
import secrets
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.db.models.functions import Greatest
from django.utils import timezone
from oscar.apps.order.exceptions import UnableToPlaceOrder
from oscar.apps.order.utils import OrderCreator
from oscar.core.loading import get_model

from shop.observability import instruments
from shop.observability.context import order_context_bind

from . import statuses
from .limits import line_quantities_check, unpaid_orders_check

logger = logging.getLogger(__name__)

Basket = get_model("basket", "Basket")
Order = get_model("order", "Order")
OrderNote = get_model("order", "OrderNote")
OrderStatusChange = get_model("order", "OrderStatusChange")
StockRecord = get_model("partner", "StockRecord")
UserAddress = get_model("address", "UserAddress")
ConditionalOffer = get_model("offer", "ConditionalOffer")
Voucher = get_model("voucher", "Voucher")
VoucherApplication = get_model("voucher", "VoucherApplication")


class OutOfStock(UnableToPlaceOrder):
    """Fewer units are free than the basket asks for; the message names the product."""


@dataclass(frozen=True)
class PlacedOrder:
    order: "Order"
    created: bool  # False when a previous submit of the same basket placed it


# Digits and capitals without look-alikes (0/O, 1/I) or vowels (no words spelled): readable over
# the phone. 28 symbols to the 9th power is about 10^13 numbers, so a number cannot be guessed
# (the guest lookup needs it with the email address) and tells nothing about how many orders exist.
ORDER_NUMBER_ALPHABET = "23456789BCDFGHJKLMNPQRSTVWXZ"
ORDER_NUMBER_LENGTH = 9


def _order_number_draw() -> str:
    return "".join(secrets.choice(ORDER_NUMBER_ALPHABET) for _ in range(ORDER_NUMBER_LENGTH))


def order_number_for(basket) -> str:
    """A new random number for the basket's order. It owes nothing to the basket: a double submit
    finds its order by basket_id. A number already taken is drawn again; the unique index on
    Order.number stops the astronomically unlikely race of two placements drawing the same one."""
    for _ in range(10):
        number = _order_number_draw()
        if not Order._default_manager.filter(number=number).exists():
            return number
    raise UnableToPlaceOrder(f"no free order number found for basket {basket.pk}")


def order_place_pending(
    *,
    basket,
    user,
    shipping_address,
    shipping_method,
    shipping_charge,
    order_total,
    guest_email: str = "",
    billing_address=None,
    surcharges=None,
) -> PlacedOrder:
    """Place the basket's order in "Pending payment", allocating its stock, in one transaction."""
    with transaction.atomic():
        locked = Basket._default_manager.select_for_update().get(pk=basket.pk)
        if locked.status != Basket.OPEN:
            existing = Order._default_manager.filter(basket_id=basket.pk).first()
            if existing is None:
                raise UnableToPlaceOrder("This basket can no longer be ordered.")
            order_context_bind(existing)
            logger.info("order %s: basket %s was submitted already; same order", existing.number, basket.pk)
            return PlacedOrder(order=existing, created=False)
        line_quantities_check(basket=basket)
        unpaid_orders_check(email=user.email if user.is_authenticated else guest_email)
        stock_lock_and_check(basket=basket)
        if shipping_address is not None:
            shipping_address.save()
            if user.is_authenticated:
                _remember_address(user, shipping_address)
        if billing_address is not None:
            billing_address.save()
        order = OrderCreator().place_order(
            basket=basket,
            total=order_total,
            shipping_method=shipping_method,
            shipping_charge=shipping_charge,
            user=user,
            shipping_address=shipping_address,
            billing_address=billing_address,
            order_number=order_number_for(basket),
            status=statuses.PENDING_PAYMENT,
            surcharges=surcharges,
            **({"guest_email": guest_email} if guest_email and not user.is_authenticated else {}),
        )
        OrderNote._default_manager.create(
            order=order,
            note_type=OrderNote.SYSTEM,
            message=f"Shopper accepted the terms and conditions at {timezone.now().isoformat(timespec='seconds')}.",
        )
        basket.submit()
        instruments.count_at_commit(instruments.orders_placed)
    order_context_bind(order)
    logger.info("order %s placed, pending payment (%s %s)", order.number, order.total_incl_tax, order.currency)
    return PlacedOrder(order=order, created=True)


def stock_lock_and_check(*, basket) -> None:
    """Lock the basket's stock records (in pk order, so buyers never deadlock) and
    re-check that each has enough free units; Oscar's own allocation checks nothing."""
    wanted = Counter()
    for line in basket.all_lines():
        if line.stockrecord_id and line.product.get_product_class().track_stock:
            wanted[line.stockrecord_id] += line.quantity
    # Only the stock rows: locking the joined product rows too deadlocked with add-to-basket (its
    # basket line needs a key-share lock on the product while Oscar's analytics update waits on it).
    records = StockRecord._default_manager.select_for_update(of=("self",)).filter(pk__in=wanted).order_by("pk")
    for record in records.select_related("product"):
        free = (record.num_in_stock or 0) - (record.num_allocated or 0)
        if wanted[record.pk] > free:
            instruments.stock_conflicts.labels(stage="checkout").inc()  # the transaction rolls back: count now
            raise OutOfStock(
                f"Sorry, only {max(free, 0)} of “{record.product.get_title()}” left: "
                "please change the quantity in your basket."
            )


def _remember_address(user, shipping_address) -> None:
    """Add the delivery address to the shopper's address book (Oscar's rule: once per distinct address)."""
    address = UserAddress._default_manager.filter(user=user, hash=shipping_address.generate_hash()).first()
    if address is None:
        address = UserAddress(user=user)
        shipping_address.populate_alternative_model(address)
    address.num_orders_as_shipping_address += 1
    address.save()


def order_status_move(*, order, status: str, note: str = "") -> bool:
    """Move an order (and its lines) to `status` for a system reason; False if already there.

    Payments drive these moves, so they bypass the staff pipeline; history is kept
    in Oscar's status changes, and the reason as a system note. Call inside a
    transaction that holds the order's row lock.
    """
    old = order.status
    if old == status:
        return False
    order.status = status
    order.save(update_fields=["status"])
    order.lines.update(status=status)
    OrderStatusChange._default_manager.create(order=order, old_status=old, new_status=status)
    if note:
        OrderNote._default_manager.create(order=order, note_type=OrderNote.SYSTEM, message=note)
    logger.info("order %s: %s → %s%s", order.number, old, status, f" ({note})" if note else "")
    return True


def order_cancel_pending(*, order_id: int, reason: str) -> bool:
    """Cancel an order still waiting for payment and release its stock; False if it moved on."""
    with transaction.atomic():
        order = Order._default_manager.select_for_update().get(pk=order_id)
        if order.status != statuses.PENDING_PAYMENT:
            return False
        _release_allocations(order)
        offers_release(order=order)
        order_status_move(order=order, status=statuses.CANCELED, note=reason)
    return True


def order_close_refunded(*, order, note: str) -> None:
    """An order refunded in full: stock not yet shipped goes back on the shelf. Call under the order's lock."""
    _release_allocations(order)  # what shipped was consumed already; the rest is still allocated
    order_status_move(order=order, status=statuses.REFUNDED, note=note)


def _release_allocations(order) -> None:
    lines = list(order.lines.select_related("stockrecord", "product__product_class", "product__parent"))
    for line in sorted(lines, key=lambda line: line.stockrecord_id or 0):
        if line.stockrecord_id and line.num_allocated:
            line.cancel_allocation(line.num_allocated)


def offers_release(*, order) -> None:
    """Undo what placing an unpaid order recorded against its vouchers and offers, so a
    single-use voucher can be used again. Call under the order's lock.

    Mirrors Oscar's OrderCreator: each discount counted once on its offer and its voucher's total,
    each voucher one order and one application. `offers_reinstate` records it all again."""
    discounts = list(order.discounts.all())
    for discount in discounts:
        if discount.offer_id:
            ConditionalOffer._default_manager.filter(pk=discount.offer_id).update(
                num_applications=Greatest(F("num_applications") - discount.frequency, 0),
                num_orders=Greatest(F("num_orders") - 1, 0),
                total_discount=Greatest(F("total_discount") - discount.amount, 0),
            )
        if discount.voucher_id:
            Voucher._default_manager.filter(pk=discount.voucher_id).update(
                total_discount=Greatest(F("total_discount") - discount.amount, 0)
            )
    voucher_ids = {discount.voucher_id for discount in discounts if discount.voucher_id}
    Voucher._default_manager.filter(pk__in=voucher_ids).update(num_orders=Greatest(F("num_orders") - 1, 0))
    VoucherApplication._default_manager.filter(order=order).delete()


def offers_reinstate(*, order) -> list[str]:
    """Record again what `offers_release` undid, for a canceled order a late payment brings back:
    offer counters, voucher counters and the voucher applications that make a voucher "used".

    A voucher that can no longer be honoured (single use, used by another order meanwhile; once per
    customer, used again by the same customer) is honoured anyway: the shopper paid the discounted price
    while the order waited, and taking the discount back would mean charging more than they agreed to.
    Returns what staff should know about such vouchers and offers. Call under the order's lock, after
    the stock (placing an order locks stock, then vouchers, then offers: the same order here).
    A canceled order always went through `offers_release` (`order_cancel_pending` is the only way in).
    """
    discounts = list(order.discounts.all())
    vouchers = Voucher._default_manager.select_for_update().filter(
        pk__in={d.voucher_id for d in discounts if d.voucher_id}
    )
    offers = ConditionalOffer._default_manager.select_for_update().filter(
        pk__in={d.offer_id for d in discounts if d.offer_id}
    )
    problems = []
    for voucher in vouchers.order_by("pk"):
        others = voucher.applications.exclude(order=order).select_related("order")
        if voucher.usage == Voucher.ONCE_PER_CUSTOMER:
            others = others.filter(user_id=order.user_id) if order.user_id else others.none()
        elif voucher.usage != Voucher.SINGLE_USE:
            others = others.none()
        taken = [application.order.number for application in others if application.order_id]
        if taken:
            problems.append(
                f"Voucher {voucher.code} ({voucher.usage.lower()}) was used by order {', '.join(taken)} "
                f"while order {order.number} was canceled; honoured again because the shopper paid the "
                "discounted price"
            )
        VoucherApplication._default_manager.create(voucher=voucher, order=order, user=order.user)
        voucher.num_orders += 1
        voucher.total_discount += sum(d.amount for d in discounts if d.voucher_id == voucher.pk)
        voucher.save(update_fields=["num_orders", "total_discount"])
    for offer in offers.order_by("pk"):
        mine = [d for d in discounts if d.offer_id == offer.pk]
        offer.num_applications += sum(d.frequency for d in mine)
        offer.num_orders += len(mine)
        offer.total_discount += sum(d.amount for d in mine)
        if offer.max_global_applications and offer.num_applications > offer.max_global_applications:
            problems.append(
                f"Offer “{offer.name}” is now applied {offer.num_applications} times, over its limit of "
                f"{offer.max_global_applications}, by order {order.number}"
            )
        offer.save()  # Oscar's save() marks an offer that reached its limit consumed
    return problems


def order_reinstate_allocation(*, order) -> bool:
    """Allocate a canceled order's stock again (a payment arrived after all); False if stock ran out.

    Call inside a transaction that holds the order's row lock.
    """
    wanted = Counter()
    for line in order.lines.all():
        if line.stockrecord_id and line.product and line.product.get_product_class().track_stock:
            wanted[line.stockrecord_id] += line.quantity
    records = list(StockRecord._default_manager.select_for_update().filter(pk__in=wanted).order_by("pk"))
    if any(wanted[r.pk] > (r.num_in_stock or 0) - (r.num_allocated or 0) for r in records):
        return False
    for record in records:
        record.allocate(wanted[record.pk])
    order.lines.filter(stockrecord_id__in=wanted).update(num_allocated=F("quantity"), allocation_cancelled=False)
    return True


def basket_restore_from_order(*, order, basket) -> int:
    """Put an unpaid order's lines back into `basket` (the shopper's open basket); return lines added."""
    added = 0
    for line in order.lines.select_related("product", "stockrecord"):
        if line.product is None or not line.product.is_public:
            continue
        basket.add_product(line.product, line.quantity)
        added += 1
    return added


def guest_orders_attach(*, user, email: str) -> int:
    """Orders placed as a guest with `email` join `user`, who has just proven they own that address.
    Never call it on sign-up alone: anyone can sign up with anyone's address."""
    attached = Order.objects.filter(user__isnull=True, guest_email__iexact=email).update(user=user)
    if attached:
        logger.info("%d guest order(s) for a verified address joined user %s", attached, user.pk)
    return attached
