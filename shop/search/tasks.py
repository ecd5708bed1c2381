import dramatiq

from shop.infrastructure.task_options import DAY_MS, MINUTE_MS

from .constants import REINDEX_PRODUCT
from .services import product_index_refresh


@dramatiq.actor(actor_name=REINDEX_PRODUCT, queue_name="search", max_retries=5, time_limit=MINUTE_MS, max_age=DAY_MS)
def reindex_product(product_id: int):
    product_index_refresh(product_id=product_id)
