from datetime import timedelta

import dramatiq
from dramatiq.middleware import CurrentMessage
from dramatiq.middleware.retries import Retries
from dramatiq_crontab import cron

from shop.infrastructure.task_options import DAY_MS, HOUR_MS, MINUTE_MS, SECOND_MS

from .constants import SEND_EMAIL
from .services import email_deliver, email_fail_abandoned

# Every email task's queue and retries: delivering a stored email (below), and rendering one (order and
# parcel emails, shop/communications), which each actor's own time_limit completes. A failure before the email
# is stored is logged by Dramatiq on every attempt; once stored, its delivery task and failed state take over.
EMAIL_TASK = {
    "queue_name": "emails",
    "max_retries": 12,
    "min_backoff": 5 * SECOND_MS,
    "max_backoff": HOUR_MS,
    "max_age": 3 * DAY_MS,
}


@dramatiq.actor(actor_name=SEND_EMAIL, time_limit=MINUTE_MS, **EMAIL_TASK)  # services queue it by this name
def send_email(email_id: int):
    email_deliver(email_id=email_id, final_attempt=is_final_attempt(send_email))


def is_final_attempt(actor: dramatiq.Actor) -> bool:
    """Whether Dramatiq gives the message up if the attempt now running raises.

    Why here and not an `on_retry_exhausted` callback actor: the callback is a second
    message, enqueued by the worker only after the attempt, so a broker hiccup at that
    moment (or the callback's own age limit) would still leave the email queued forever.
    Deciding before the attempt lets email_deliver record the final error and the
    `failed` status together, under the row lock, before re-raising.

    The decision mirrors dramatiq 2.2's Retries.after_process_message: it counts failed
    attempts in `message.options["retries"]` (0 on the first run) and gives up when that
    count has reached `max_retries`, read from the message's options, then the actor's,
    then the middleware's default. CurrentMessage (in DRAMATIQ_MIDDLEWARE) exposes the
    message being processed. send_email uses neither `throws` nor `retry_when`.

    A final attempt that dies without an exception reaching email_deliver (time limit,
    killed worker), or a message AgeLimit drops, is caught by fail_abandoned_emails.
    """
    message = CurrentMessage.get_current_message()
    if message is None:  # called directly, outside a worker: no retry policy applies
        return False
    retries = next((m for m in actor.broker.middleware if isinstance(m, Retries)), None)
    if retries is None:  # without the Retries middleware a failed message is never retried
        return True
    max_retries = message.options.get("max_retries", actor.options.get("max_retries", retries.max_retries))
    return max_retries is not None and message.options.get("retries", 0) >= max_retries


def abandoned_after() -> timedelta:
    """When send_email's message is surely gone: its max_age, plus one attempt that started just before."""
    return timedelta(milliseconds=send_email.options["max_age"] + send_email.options["time_limit"])


@cron("*/15 * * * *")
@dramatiq.actor(queue_name="default", max_retries=0, time_limit=2 * MINUTE_MS, max_age=15 * MINUTE_MS)
def fail_abandoned_emails():
    """Queued emails whose delivery task AgeLimit dropped (or that died on its last attempt) end failed."""
    email_fail_abandoned(older_than=abandoned_after())
