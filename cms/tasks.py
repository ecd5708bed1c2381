import dramatiq
from django.core.management import call_command
from dramatiq_crontab import cron

from shop.infrastructure.task_options import MINUTE_MS


@cron("* * * * *")
@dramatiq.actor(queue_name="default", max_retries=0, time_limit=MINUTE_MS, max_age=MINUTE_MS)
def publish_scheduled():
    """Wagtail publishes what editors scheduled (pages, product content) and unpublishes what expired only when
    `publish_scheduled` runs: the scheduler runs it every minute. Safe to run twice: each pass acts on what is due."""
    call_command("publish_scheduled", verbosity=0)
