"""The embedded task runner for `make run`: a Dramatiq worker inside the web process.

It consumes the same actors from the in-memory StubBroker that a real worker
consumes from Redis, so the code path is the one production runs; only the
transport differs. A relay thread publishes any outbox row the after-commit
relay missed, and the periodic tasks (`@cron`: payment reconciliation, tracking
polls, ...) are sent on their schedules as `manage.py scheduler` sends them.
"""

import logging
import threading

import dramatiq
from apscheduler.schedulers.background import BackgroundScheduler
from django.conf import settings
from django.db import close_old_connections
from dramatiq import Worker
from dramatiq_crontab import scheduler as cron_scheduler

from shop.outbox.services import outbox_relay

logger = logging.getLogger(__name__)


class InProcessWorker:
    def __init__(self, *, broker=None, threads: int = 2, relay_interval: float | None = None):
        self.worker = Worker(broker or dramatiq.get_broker(), worker_threads=threads, worker_timeout=200)
        self.relay_interval = relay_interval or settings.OUTBOX_RELAY_INTERVAL_SECONDS
        self._stopping = threading.Event()
        self._relay = threading.Thread(target=self._relay_until_stopped, name="outbox-relay", daemon=True)
        self._scheduler = None

    def start(self, *, schedule: bool = False) -> "InProcessWorker":
        self.worker.start()
        self._relay.start()
        logger.info("in-process task worker started (queues: %s)", ", ".join(sorted(self.worker.broker.queues)))
        if schedule:
            self._scheduler = _periodic_tasks_scheduler()
            self._scheduler.start()
            logger.info("in-process scheduler started (%s periodic tasks)", len(self._scheduler.get_jobs()))
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=False)
        self._relay.join(timeout=5)
        self.worker.stop()

    def _relay_until_stopped(self) -> None:
        while not self._stopping.wait(self.relay_interval):
            try:
                outbox_relay()
            except Exception:
                logger.exception("outbox relay pass failed")
            finally:
                close_old_connections()


def _periodic_tasks_scheduler():
    """The `@cron` jobs (what `manage.py scheduler` runs), on a scheduler of this process's own: one
    process, so no lock, and dramatiq_crontab's module-wide scheduler stays untouched."""
    own = BackgroundScheduler(timezone=cron_scheduler.timezone)
    for job in cron_scheduler.get_jobs():
        own.add_job(job.func, job.trigger, name=job.name, max_instances=1)
    return own
