"""Tracking work off the request: thin actors that take ids and call services; each is safe to run twice."""

import dramatiq
from django.conf import settings
from dramatiq_crontab import cron

from shop.infrastructure.task_options import HOUR_MS, MINUTE_MS

from .services import shipment_poll, shipments_to_poll


@dramatiq.actor(
    queue_name="tracking",
    max_retries=5,
    min_backoff=MINUTE_MS,
    max_backoff=30 * MINUTE_MS,
    time_limit=MINUTE_MS,
    max_age=6 * HOUR_MS,
)
def poll_shipment(shipment_id: int):
    """Ask the carrier about one parcel; a carrier that cannot be reached is asked again later."""
    shipment_poll(shipment_id=shipment_id)


@cron("*/5 * * * *")
@dramatiq.actor(queue_name="tracking", max_retries=0, time_limit=MINUTE_MS, max_age=10 * MINUTE_MS)
def poll_open_shipments():
    """Queue a poll for every parcel not yet delivered that was not asked about for a while."""
    for shipment_id in shipments_to_poll(every_minutes=settings.SHOP_TRACKING_POLL_MINUTES):
        poll_shipment.send(shipment_id)
