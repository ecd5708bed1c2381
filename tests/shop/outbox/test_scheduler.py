"""Exactly one scheduler runs the periodic jobs, and it survives Redis: a lost lock is taken again."""

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import dramatiq_crontab
import redis

ROOT = Path(__file__).resolve().parents[3]
LOCK_KEY = "dramatiq-scheduler"
HELD = "Scheduler lock held"


def test_the_outbox_relay_is_a_periodic_job():
    import shop.outbox.tasks  # noqa: F401  (declares the job)

    assert "relay_outbox" in {job.name for job in dramatiq_crontab.scheduler.get_jobs()}


class Scheduler:
    """`manage.py scheduler` in its own process, its output read line by line as it comes."""

    def __init__(self, redis_url: str | None = None):
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "shop.settings.test",
            "SCHEDULER_LOCK_REFRESH_SECONDS": "1",
            "SCHEDULER_LOCK_TIMEOUT_SECONDS": "3",
            "OUTBOX_RELAY_INTERVAL_SECONDS": "1",
            "PYTHONUNBUFFERED": "1",
        }
        if redis_url:
            env["REDIS_URL"] = redis_url
            env["BROKER_URL"] = redis_url.rsplit("/", 1)[0] + "/1"
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "scheduler"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: queue.Queue = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line)

    def wait_for(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.01))
            except queue.Empty:
                break
            self.seen.append(line)
            if text in line:
                return
        raise AssertionError(f"{text!r} not seen within {timeout} s in {self.seen[-20:]}")

    def has_said(self, text: str) -> bool:
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return any(text in line for line in self.seen)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        return self.process.wait(timeout=30)


def wait_until(condition, timeout: float = 30, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"{what} not met within {timeout} s")


def test_a_second_scheduler_waits_while_one_runs_and_takes_over_when_it_stops():
    first = Scheduler()
    second = None
    try:
        first.wait_for(HELD)
        second = Scheduler()
        second.wait_for("Starting scheduler")
        first_stopped = False
        second.wait_for("another scheduler holds the lock")
        second.wait_for("another scheduler holds the lock")  # asked again a lock period later: still refused
        assert not second.has_said(HELD), "two schedulers ran at once"
        assert first.stop() == 0
        first_stopped = True
        second.wait_for(HELD, timeout=10)
    finally:
        if not first_stopped:
            first.stop()
        if second is not None:
            assert second.stop() == 0


def test_the_scheduler_takes_its_lock_again_after_redis_restarts_empty_and_jobs_go_on(private_redis):
    broker_redis = redis.Redis.from_url(private_redis.url.rsplit("/", 1)[0] + "/1")
    scheduler = Scheduler(redis_url=private_redis.url)
    try:
        scheduler.wait_for(HELD)
        private_redis.stop()
        private_redis.start()  # empty: no lock, no queues
        scheduler.wait_for("Scheduler lock lost")
        scheduler.wait_for(HELD, timeout=15)
        assert scheduler.process.poll() is None, "the scheduler is still running"
        assert redis.Redis.from_url(private_redis.url).exists(LOCK_KEY)
        # The periodic outbox relay (every second here) reaches the new, empty broker again.
        wait_until(lambda: broker_redis.llen("dramatiq:default") > 0, timeout=10, what="a relay_outbox message")
    finally:
        assert scheduler.stop() == 0
