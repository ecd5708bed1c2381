"""The embedded task runner for `make run`: a Dramatiq worker inside the web process.

It consumes the same actors from the in-memory StubBroker that a real worker
consumes from Redis, so the code path is the one production runs; only the
transport differs. A relay thread publishes any outbox row the after-commit
relay missed.
"""

import logging
import threading
import time

import dramatiq
from django.conf import settings
from django.db import close_old_connections
from dramatiq import Worker

from shop.outbox.services import outbox_relay

logger = logging.getLogger(__name__)


def start_in_process_worker() -> Worker:
    worker = Worker(dramatiq.get_broker(), worker_threads=2, worker_timeout=200)
    worker.start()
    threading.Thread(target=_relay_forever, name="outbox-relay", daemon=True).start()
    logger.info("in-process task worker started (queues: %s)", ", ".join(sorted(worker.broker.queues)))
    return worker


def _relay_forever() -> None:
    while True:
        time.sleep(settings.OUTBOX_RELAY_INTERVAL_SECONDS)
        try:
            outbox_relay()
        except Exception:
            logger.exception("outbox relay pass failed")
        finally:
            close_old_connections()
