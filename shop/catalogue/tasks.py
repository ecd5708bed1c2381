import dramatiq

from .thumbnails import product_image_thumbnails_make

HOUR_MS = 60 * 60 * 1000


@dramatiq.actor(queue_name="default", max_retries=3, time_limit=120_000, max_age=24 * HOUR_MS)
def make_product_thumbnails(image_id: int):
    product_image_thumbnails_make(image_id=image_id)
