import dramatiq

from .constants import REINDEX_PRODUCT
from .services import product_index_refresh

HOUR_MS = 60 * 60 * 1000


@dramatiq.actor(actor_name=REINDEX_PRODUCT, queue_name="search", max_retries=5, time_limit=60_000, max_age=24 * HOUR_MS)
def reindex_product(product_id: int):
    product_index_refresh(product_id=product_id)
