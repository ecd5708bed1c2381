"""The one scheduler of the periodic jobs, kept running through Redis outages and restarts.

dramatiq-crontab's own `crontab` command holds its Redis lock (one scheduler per deployment) and exits
for good when the lock is lost, as when Redis restarts empty, and nothing starts it again: payment
reconciliation, the outbox relay and the cancelling of unpaid orders would stop until someone noticed.
This command runs the same scheduler and jobs, but treats the lock as something to win back: while it
holds the lock the jobs run; when the lock is gone (or another scheduler has it) the jobs pause and the
lock is tried again every few seconds. While Redis cannot be reached, a holder keeps running its jobs
(the broker may live on another Redis server), so no outage stops them for longer than it lasts.
Run it under a supervisor all the same (systemd `Restart=always`): a process can still die.
"""

import importlib
import logging
import signal
import threading

from apscheduler.events import EVENT_SCHEDULER_STARTED
from dramatiq_crontab import conf, scheduler, utils
from dramatiq_crontab.management.commands.crontab import Command as CrontabCommand
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import LockError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("shop.scheduler")

REDIS_DOWN = (RedisConnectionError, RedisTimeoutError)


class Command(CrontabCommand):
    help = "Run the periodic jobs: exactly one per deployment (a Redis lock), surviving Redis restarts."

    def handle(self, *args, **options):
        if not options["no_task_loading"]:
            self.load_tasks(options)
        if not options["no_heartbeat"]:
            importlib.import_module("dramatiq_crontab.tasks")  # a heartbeat job: monitoring sees the scheduler
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(signum, lambda *_: stop.set())
        keeper = LockKeeper(utils.lock)
        self._start_paused()
        self.stdout.write(self.style.SUCCESS("Starting scheduler…"))
        try:
            while not stop.is_set():
                self._follow(keeper.check())
                stop.wait(conf.get_settings().LOCK_REFRESH_INTERVAL)
        finally:
            self.stdout.write("Shutting down scheduler…")
            scheduler.shutdown()  # waits for the jobs running now
            keeper.release()

    def _start_paused(self) -> None:
        """dramatiq-crontab's scheduler blocks the thread that starts it: it gets its own, and this
        one keeps the lock, pausing and resuming the jobs."""
        started = threading.Event()
        scheduler.add_listener(lambda event: started.set(), EVENT_SCHEDULER_STARTED)
        threading.Thread(target=scheduler.start, kwargs={"paused": True}, name="scheduler", daemon=True).start()
        if not started.wait(timeout=30):
            raise RuntimeError("the scheduler did not start")

    def _follow(self, change: str | None) -> None:
        if change == "taken":
            scheduler.resume()
            self.stdout.write("Scheduler lock held: running the periodic jobs.")
        elif change == "lost":
            scheduler.pause()
            self.stdout.write("Scheduler lock lost: jobs paused until it is taken again.")


class LockKeeper:
    """Holds dramatiq-crontab's lock, or tries to take it; says when that changes."""

    def __init__(self, lock):
        self.lock = lock
        self.held = False

    def check(self) -> str | None:
        """'taken', 'lost' or None (no change)."""
        if isinstance(self.lock, utils.FakeLock):  # no Redis (dev): the only scheduler there is
            return None if self.held else self._mark(True)
        try:
            if self.held:
                self.lock.extend(conf.get_settings().LOCK_TIMEOUT, replace_ttl=True)
                return None
            if self.lock.acquire(blocking=False):
                return self._mark(True)
            logger.info("another scheduler holds the lock; waiting")
            return None
        except LockError as exc:  # expired, or Redis came back without it: someone else may take it now
            logger.warning("scheduler lock lost (%s); pausing the jobs and taking it again", exc)
            return self._mark(False)
        except REDIS_DOWN as exc:
            logger.warning(
                "Redis unreachable for the scheduler lock (%s); %s",
                exc,
                "jobs keep running" if self.held else "trying again",
            )
            return None

    def release(self) -> None:
        if self.held and not isinstance(self.lock, utils.FakeLock):
            try:
                self.lock.release()
            except (LockError, *REDIS_DOWN):
                pass  # it expires by itself
        self.held = False

    def _mark(self, held: bool) -> str:
        self.held = held
        return "taken" if held else "lost"
