from haystack import connections
from oscar.core.loading import get_model

from shop.pagecache.services import page_cache_purge

from .selectors import product_listing_face

Product = get_model("catalogue", "Product")


def product_index_refresh(*, product_id: int) -> str:
    """Bring one product's index entry in line with the database; say what was done.

    Listings read the index, so this is the one place that decides whether they changed: when the entry now
    differs where a listing looks (product_listing_face), every cached listing is purged, once the index shows
    the change. Not for the stock level alone, after an ordinary order. (The page cache purges the product's
    own page on a stock change, and never the listings.)"""
    index = connections["default"].get_unified_index().get_index(Product)
    listed_before = product_listing_face(product_id=product_id)
    product = index.read_queryset().filter(pk=product_id).first()
    if product is None or not product.is_public:
        index.remove_object(f"catalogue.product.{product_id}")
        outcome = "removed"
    else:
        index.update_object(product)
        outcome = "updated"
    if product_listing_face(product_id=product_id) != listed_before:
        page_cache_purge()
    return outcome
