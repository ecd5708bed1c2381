"""Dramatiq's Prometheus series, per queue and actor, counted in the process that runs the task.

Dramatiq's own `Prometheus` middleware defines its metrics in `after_process_boot`, which only the
`dramatiq` command emits, and switches prometheus_client to multiprocess mode by setting an environment
variable after Django (and so prometheus_client) has been imported, which is too late: its counts stay in
each process and its exposition server shows none of them. This middleware keeps its series names
(dataset-compatible dashboards work) with metrics defined once at import, so they count the same in a
`manage.py worker` process, the in-process worker of `make run` and a test's Worker. `manage.py worker`
sets the multiprocess directory before anything is imported and serves the counts of all its processes
(`worker_exposition.py`). Added: how long a message waited in its queue before a worker took it.
"""

import os
import time

from dramatiq.middleware import Middleware
from prometheus_client import Counter, Gauge, Histogram, multiprocess

LABELS = ["queue_name", "actor_name"]

messages = Counter("dramatiq_messages", "Messages processed (succeeded or failed)", LABELS)
errors = Counter("dramatiq_message_errors", "Messages whose actor raised", LABELS)
retries = Counter("dramatiq_message_retries", "Messages enqueued again to be retried", LABELS)
rejects = Counter("dramatiq_message_rejects", "Messages dead-lettered (retries exhausted, or too old)", LABELS)
in_progress = Gauge("dramatiq_messages_inprogress", "Messages being processed now", LABELS, multiprocess_mode="livesum")
durations = Histogram(
    "dramatiq_message_duration_milliseconds",
    "Time spent processing a message",
    LABELS,
    buckets=(5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000, 30000, 60000, 600000, 900000),
)
queue_wait = Histogram(
    "shop_task_queue_wait_seconds",
    "From when a message was due (enqueued, or its retry delay over) to a worker taking it: "
    "a queue nobody consumes, or too few workers, shows here",
    LABELS,
    buckets=(0.01, 0.05, 0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600),
)


class TaskMetrics(Middleware):
    def __init__(self):
        self._started: dict[str, float] = {}  # message id → when processing began (threads share the dict)

    def before_process_message(self, broker, message):
        labels = (message.queue_name, message.actor_name)
        due_ms = max(message.message_timestamp, message.options.get("eta", 0))
        queue_wait.labels(*labels).observe(max(time.time() * 1000 - due_ms, 0) / 1000)
        in_progress.labels(*labels).inc()
        for counter in (errors, retries, rejects):  # at zero from the first message: rate() and alerts see 0
            counter.labels(*labels)
        self._started[message.message_id] = time.monotonic()

    def after_process_message(self, broker, message, *, result=None, exception=None):
        labels = (message.queue_name, message.actor_name)
        started = self._started.pop(message.message_id, None)
        if started is not None:  # a skipped message never started
            durations.labels(*labels).observe((time.monotonic() - started) * 1000)
            in_progress.labels(*labels).dec()
        messages.labels(*labels).inc()
        if exception is not None:
            errors.labels(*labels).inc()

    after_skip_message = after_process_message

    def after_enqueue(self, broker, message, delay):
        if "retries" in message.options:
            retries.labels(message.queue_name, message.actor_name).inc()

    def after_nack(self, broker, message):
        rejects.labels(message.queue_name, message.actor_name).inc()

    def after_worker_shutdown(self, broker, worker):
        # The in-progress gauge sums live processes only: a stopping worker process takes its share away.
        directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
        if directory:
            multiprocess.mark_process_dead(os.getpid(), directory)
