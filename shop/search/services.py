import hashlib
import json
import logging

from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from haystack import connections
from oscar.core.loading import get_model

from shop.pagecache.services import page_cache_purge

Product = get_model("catalogue", "Product")
logger = logging.getLogger(__name__)

# Indexed, but shown by no listing: a change to these alone leaves every cached listing as it was.
UNLISTED_FIELDS = frozenset({"num_in_stock", "date_updated"})


def product_index_refresh(*, product_id: int) -> str:
    """Bring one product's index entry in line with the database; say what was done.

    Listings read the index, and cached ones were purged when the product changed, maybe before this ran: purge
    them again once the index shows the change, unless the entry changed only where no listing looks (the stock
    level, after an ordinary order)."""
    index = connections["default"].get_unified_index().get_index(Product)
    product = index.read_queryset().filter(pk=product_id).first()
    if product is None or not product.is_public:
        index.remove_object(f"catalogue.product.{product_id}")
        outcome, listed = "removed", None
    else:
        index.update_object(product)
        outcome, listed = "updated", _listing_fingerprint(index.prepared_data)  # what update_object wrote
    if _listing_changed(product_id, listed):
        page_cache_purge()
    return outcome


def _listing_fingerprint(prepared: dict) -> str:
    shown = {name: value for name, value in prepared.items() if name not in UNLISTED_FIELDS}
    return hashlib.sha256(json.dumps(shown, sort_keys=True, cls=DjangoJSONEncoder).encode()).hexdigest()


def _listing_changed(product_id: int, fingerprint: str | None) -> bool:
    """Whether listings show this product differently since its last refresh (unknown counts as changed)."""
    key = f"search:listed:{product_id}"
    try:
        changed = fingerprint is None or cache.get(key) != fingerprint
        cache.set(key, fingerprint, timeout=None)
    except Exception:  # the cache is down: nothing is cached either
        logger.exception("listing fingerprint of product %s unavailable", product_id)
        return True
    return changed
