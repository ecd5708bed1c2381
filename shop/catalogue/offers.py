"""What a product page offers, in the shop's own pricing: one price, or a range over a parent's variants."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class OfferSummary:
    currency: str
    low_price: Decimal  # shelf prices, VAT included
    high_price: Decimal
    count: int  # how many variants have a price (1 for a single product)
    in_stock: bool  # whether any of them can be bought now


def offer_summary(product, *, strategy) -> OfferSummary | None:
    """The product's price and availability as the strategy (request.strategy) sells it; None without a price.

    A parent is offered through its public children, each priced by the strategy; children without a price
    are left out. Stock records (and a parent's public children) should be prefetched."""
    children = product.get_public_children() if product.is_parent else [product]
    priced = []
    for item in children:
        info = strategy.fetch_for_product(item)
        if info.price.exists:
            priced.append((info.price.effective_price, info.price.currency, info.availability.is_available_to_buy))
    if not priced:
        return None
    amounts = [amount for amount, _currency, _available in priced]
    return OfferSummary(
        currency=priced[0][1],
        low_price=min(amounts),
        high_price=max(amounts),
        count=len(priced),
        in_stock=any(available for _amount, _currency, available in priced),
    )
