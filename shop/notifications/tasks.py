import dramatiq

from .services import email_deliver

DAY_MS = 24 * 60 * 60 * 1000


@dramatiq.actor(
    queue_name="emails", max_retries=12, min_backoff=5_000, max_backoff=3_600_000, time_limit=60_000, max_age=3 * DAY_MS
)
def send_email(email_id: int):
    email_deliver(email_id=email_id)
