import dramatiq
from django.conf import settings
from dramatiq_crontab import cron, interval

from shop.infrastructure.task_options import MINUTE_MS

from .services import outbox_prune, outbox_relay, outbox_sweep_lost


@interval(seconds=settings.OUTBOX_RELAY_INTERVAL_SECONDS)
@dramatiq.actor(queue_name="default", max_retries=0, time_limit=MINUTE_MS, max_age=MINUTE_MS)
def relay_outbox():
    """Publish whatever the immediate after-commit relay could not (broker down)."""
    outbox_relay()


@cron("17 3 * * *")
@dramatiq.actor(queue_name="default", max_retries=3, time_limit=10 * MINUTE_MS)
def prune_outbox():
    """Published rows are only history after a week; pending rows stay until published."""
    outbox_prune()


@cron("* * * * *")
@dramatiq.actor(queue_name="default", max_retries=0, time_limit=MINUTE_MS, max_age=MINUTE_MS)
def sweep_lost_tasks():
    """Tasks the broker lost (a Redis restart without persistence) are published again from the outbox."""
    outbox_sweep_lost()
