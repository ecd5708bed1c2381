import time

import dramatiq
from django.utils import timezone

from shop.outbox.models import OutboxMessage


def run_outbox(*, max_rounds: int = 20) -> list[str]:
    """Run the pending outbox rows' actors in this thread, as a worker would, until none are left.

    For tests that do not exercise the broker itself; each actor runs exactly as it would
    in a worker (same function, same arguments), rows are marked published first.
    """
    broker = dramatiq.get_broker()
    ran = []
    for _ in range(max_rounds):
        rows = list(OutboxMessage.objects.pending().order_by("pk"))
        if not rows:
            return ran
        for row in rows:
            OutboxMessage.objects.filter(pk=row.pk).update(published_at=timezone.now())
            broker.get_actor(row.actor_name).fn(*row.args, **row.kwargs)
            ran.append(row.actor_name)
    raise AssertionError(f"the outbox did not drain after {max_rounds} rounds: {ran[-10:]}")


class TaskWorker:
    """A real Dramatiq worker (threads in this process) consuming the test settings' Redis broker."""

    def __init__(self, broker, worker):
        self.broker = broker
        self.worker = worker
        # Every queue an actor declared (payments, tracking, emails, search, default), not a copy of the list.
        self.queues = sorted(broker.get_declared_queues())

    def wait_idle(self, *, timeout: float = 15.0) -> None:
        """Return once no queue holds a message (queued, delayed or in progress) and no outbox row
        waits to be published, twice in a row: a task that finishes may have queued the next one."""
        from shop.outbox.models import OutboxMessage

        deadline = time.monotonic() + timeout
        quiet = 0
        while quiet < 2:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"tasks still running after {timeout} s")
            for queue in self.queues:
                self.broker.join(queue, timeout=max(int(remaining * 1000), 1))
            self.worker.join()
            busy = OutboxMessage.objects.pending().exists() or any(self.broker.do_qsize(queue) for queue in self.queues)
            quiet = 0 if busy else quiet + 1
            time.sleep(0.1)


def outbox_mark() -> int:
    """The newest outbox row: `run_queued_since(mark)` later runs what was queued after it."""
    return OutboxMessage.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def run_queued_since(mark: int) -> list[str]:
    """Run once, in this thread, the actors of the outbox rows after `mark`, published or not, as a worker would.

    For a test whose change commits (django_capture_on_commit_callbacks): the relay then publishes its tasks to
    a broker no worker reads here, so `run_outbox` finds nothing pending. E.g. the search index following a
    product, which is what purges the cached listings."""
    broker = dramatiq.get_broker()
    ran = []
    for row in OutboxMessage.objects.filter(pk__gt=mark).order_by("pk"):
        broker.get_actor(row.actor_name).fn(*row.args, **row.kwargs)
        ran.append(row.actor_name)
    return ran
