"""Reads for the page cache."""

from dataclasses import dataclass
from decimal import Decimal

from oscar.core.loading import get_model

StockRecord = get_model("partner", "StockRecord")


@dataclass(frozen=True)
class ListingFace:
    """What a listing shows of a stock record: its price and whether it can be bought."""

    price: Decimal | None
    currency: str
    available: bool


def listing_face(stock_record) -> ListingFace:
    free = (stock_record.num_in_stock or 0) - (stock_record.num_allocated or 0)
    return ListingFace(price=stock_record.price, currency=stock_record.price_currency, available=free > 0)


def stock_record_listing_face(*, stock_record_id: int | None) -> ListingFace | None:
    """The stock record's listing face as stored (None for a new one): read before a save changes it."""
    if stock_record_id is None:
        return None
    fields = ("price", "price_currency", "num_in_stock", "num_allocated")
    stored = StockRecord._default_manager.only(*fields).filter(pk=stock_record_id).first()
    return listing_face(stored) if stored is not None else None
