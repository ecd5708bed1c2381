"""The scheduler's heartbeat: a job of the scheduler itself, not a Dramatiq task.

It runs wherever the periodic jobs run (`manage.py scheduler`, or the in-process scheduler of `make run`),
and only while they run: a scheduler that paused its jobs (its Redis lock lost) or died stops beating.
It writes to PostgreSQL directly, so neither the broker nor a worker stands between it and the alert.
"""

import logging

from apscheduler.triggers.interval import IntervalTrigger
from django.conf import settings
from django.db import DatabaseError, close_old_connections
from django.utils import timezone
from dramatiq_crontab import scheduler

from .services import SCHEDULER, heartbeat_record

logger = logging.getLogger("shop.scheduler")


def scheduler_heartbeat() -> None:
    try:
        heartbeat_record(name=SCHEDULER)
    except DatabaseError:
        logger.exception("scheduler heartbeat: could not write it")
    finally:
        close_old_connections()  # this thread is not a request: nothing else closes its connection


scheduler.add_job(
    scheduler_heartbeat,
    IntervalTrigger(seconds=settings.SCHEDULER_HEARTBEAT_SECONDS, timezone=timezone.get_default_timezone()),
    name="scheduler_heartbeat",
    next_run_time=timezone.now(),  # at once when the jobs start (or resume), then every interval
    misfire_grace_time=None,
    coalesce=True,
)
