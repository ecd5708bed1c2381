"""One scheduler runs the periodic jobs; a second one refuses to start."""

import os
import subprocess
import sys
import time
from pathlib import Path

import dramatiq_crontab

ROOT = Path(__file__).resolve().parents[3]


def test_the_outbox_relay_is_a_periodic_job():
    import shop.outbox.tasks  # noqa: F401  (declares the job)

    assert "relay_outbox" in {job.name for job in dramatiq_crontab.scheduler.get_jobs()}


def start_scheduler():
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shop.settings.test",
        "SCHEDULER_LOCK_WAIT_SECONDS": "2",
        "PYTHONUNBUFFERED": "1",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "crontab"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for_line(process, text, timeout=30):
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:  # the process ended
            break
        seen.append(line)
        if text in line:
            return
    raise AssertionError(f"{text!r} not seen in {seen[-20:]}; stderr: {process.stderr.read()[-2000:]}")


def test_a_second_scheduler_does_not_run_while_one_does():
    first = start_scheduler()
    try:
        wait_for_line(first, "Starting scheduler")
        second = start_scheduler()
        _, errors = second.communicate(timeout=60)
        assert "Another scheduler is already running" in errors
        assert first.poll() is None, "the first scheduler keeps running"
    finally:
        first.terminate()
        first.wait(timeout=30)
