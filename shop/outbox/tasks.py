import dramatiq
from django.conf import settings
from dramatiq_crontab import interval

from .services import outbox_relay


@interval(seconds=settings.OUTBOX_RELAY_INTERVAL_SECONDS)
@dramatiq.actor(queue_name="default", max_retries=0, time_limit=60_000, max_age=60_000)
def relay_outbox():
    """Publish whatever the immediate after-commit relay could not (broker down)."""
    outbox_relay()
