import logging

from haystack import connections
from oscar.core.loading import get_model

from shop.pagecache.services import page_cache_purge

Product = get_model("catalogue", "Product")
logger = logging.getLogger(__name__)


def product_index_refresh(*, product_id: int) -> str:
    """Bring one product's index entry in line with the database; say what was done.

    Listings read the index, and cached ones were purged when the product changed, maybe before this ran:
    purge them again once the index shows the change."""
    index = connections["default"].get_unified_index().get_index(Product)
    product = index.read_queryset().filter(pk=product_id).first()
    if product is None or not product.is_public:
        index.remove_object(f"catalogue.product.{product_id}")
        outcome = "removed"
    else:
        index.update_object(product)
        outcome = "updated"
    page_cache_purge()
    return outcome
