"""Drill: a worker SIGKILLed while it sends a confirmation. Its message comes back to another worker
within half a minute (the broker's heartbeat timeout and maintenance, shop/settings/components/tasks.py), and the
shopper gets the email exactly once."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.mail import EmailMessage

from shop.notifications.models import OutgoingEmail
from tests.support.servers import SmtpServer, StallingInbox

ROOT = Path(__file__).resolve().parents[2]


def worker_process(broker_url: str, smtp_port: int) -> subprocess.Popen:
    """`manage.py rundramatiq` for the emails queue, on the test database, in a process group of its own."""
    database = settings.DATABASES["default"]
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "shop.settings.test",
        "DATABASE_URL": f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "BROKER_URL": broker_url,
        "EMAIL_DELIVERY_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
    }
    return subprocess.Popen(
        [sys.executable, "manage.py", "rundramatiq", "--processes", "1", "--threads", "1", "--queues", "emails"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def kill_group(process: subprocess.Popen, signum=signal.SIGKILL) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signum)
    process.wait(timeout=30)


def wait_until(condition, *, timeout: float, what: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"{what}: not within {timeout} s")


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_confirmation_held_by_a_killed_worker_is_sent_once_by_the_next_within_half_a_minute(
    private_redis, redis_broker
):
    inbox = StallingInbox()
    smtp = SmtpServer(inbox)
    smtp.start()
    first = second = None
    try:
        EmailMessage("Your order 1234 is confirmed", "Thank you.", to=["buyer@example.com"]).send()
        email = OutgoingEmail.objects.get()
        first = worker_process(private_redis.url, smtp.port)
        assert inbox.first_arrived.wait(timeout=60), "the first worker never reached the SMTP server"

        kill_group(first)  # mid-DATA: the message was taken from the queue and never acknowledged
        killed_at = time.monotonic()
        inbox.release.set()
        second = worker_process(private_redis.url, smtp.port)
        wait_until(lambda: len(smtp.messages) == 1, timeout=60, what="the confirmation after the kill")
        redelivered_after = time.monotonic() - killed_at

        assert redelivered_after < 35, f"redelivered {redelivered_after:.0f} s after the kill"
        email.refresh_from_db()
        assert email.status == OutgoingEmail.Status.SENT
        assert [message.rcpt_tos for message in smtp.messages] == [["buyer@example.com"]]
    finally:
        for process in (first, second):
            if process is not None:
                kill_group(process, signal.SIGTERM)
        smtp.stop()
