import dramatiq

from shop.infrastructure.task_options import DAY_MS, MINUTE_MS

from .thumbnails import product_image_thumbnails_make


@dramatiq.actor(queue_name="default", max_retries=3, time_limit=2 * MINUTE_MS, max_age=DAY_MS)
def make_product_thumbnails(image_id: int):
    product_image_thumbnails_make(image_id=image_id)
