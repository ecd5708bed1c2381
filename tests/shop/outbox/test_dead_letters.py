"""Tasks Dramatiq gives up on are kept in PostgreSQL; staff retry (through the outbox) or discard them,
in the admin or with `manage.py dead_letters`. A real worker on a Redis broker runs the tasks."""

import time
from io import StringIO

import dramatiq
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from dramatiq import Worker
from dramatiq.broker import MessageProxy

from shop.outbox.dead_letters import dead_letters_discard, dead_letters_retry
from shop.outbox.middleware import DeadLetterMiddleware
from shop.outbox.models import DeadLetter, OutboxMessage
from shop.outbox.services import outbox_enqueue
from tests.support.users import with_totp
from tests.support.waiting import wait_until

CHANGELIST = "/django-admin/outbox/deadletter/"

# The tokens whose task fails, and every run: the worker's threads share this process.
FAILING: set[str] = set()
RUNS: list[str] = []


@dramatiq.actor(queue_name="default", max_retries=0, actor_name="test_dead_letter_task")
def flaky(token: str):
    RUNS.append(token)
    if token in FAILING:
        raise RuntimeError(f"the carrier said no to {token}")


@pytest.fixture
def worker(redis_broker):
    FAILING.clear()
    RUNS.clear()
    worker = Worker(redis_broker, worker_threads=1, worker_timeout=100)
    worker.start()
    yield worker
    worker.stop()


def dead_letter_of(token: str) -> DeadLetter:
    wait_until(lambda: DeadLetter.objects.filter(args=[token]).exists(), timeout=15, what=f"dead letter of {token}")
    return DeadLetter.objects.get(args=[token])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_task_that_exhausts_its_retries_is_kept_and_runs_again_when_retried(worker):
    FAILING.add("parcel-1")
    with transaction.atomic():
        row = outbox_enqueue(actor=flaky, args=("parcel-1",))  # relayed to Redis after commit

    dead = dead_letter_of("parcel-1")

    assert (dead.actor_name, dead.queue_name, dead.status, dead.reason) == (
        "test_dead_letter_task",
        "default",
        DeadLetter.Status.AWAITING,
        DeadLetter.Reason.FAILED,
    )
    assert dead.error == "RuntimeError: the carrier said no to parcel-1"
    assert "raise RuntimeError" in dead.traceback
    assert dead.outbox_message_id == row.pk and dead.message_id == OutboxMessage.objects.get(pk=row.pk).message_id
    assert OutboxMessage.objects.get(pk=row.pk).done_at is not None, "the broker will not run it again: done"
    assert RUNS == ["parcel-1"]

    FAILING.clear()  # the cause is fixed
    decisions = dead_letters_retry(ids=[dead.pk])

    assert decisions.done == [dead.pk] and decisions.skipped == {}
    dead.refresh_from_db()
    assert dead.status == DeadLetter.Status.RETRIED and dead.decided_at is not None
    wait_until(lambda: RUNS == ["parcel-1", "parcel-1"], timeout=15, what="the retried task ran")
    wait_until(
        lambda: OutboxMessage.objects.get(pk=dead.retried_as_id).done_at is not None,
        timeout=15,
        what="the retry's outbox row is done",
    )
    assert DeadLetter.objects.count() == 1, "the retry succeeded: no new dead letter"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_retry_that_fails_again_is_a_new_dead_letter_and_a_decided_one_is_left_alone(worker):
    FAILING.add("parcel-2")
    flaky.send("parcel-2")  # straight to the broker, not through the outbox
    first = dead_letter_of("parcel-2")
    assert first.outbox_message is None

    dead_letters_retry(ids=[first.pk])
    wait_until(lambda: DeadLetter.objects.count() == 2, timeout=15, what="the retry's own dead letter")

    again = dead_letters_retry(ids=[first.pk])
    assert again.done == [] and again.skipped == {first.pk: "already retried"}
    first.refresh_from_db()
    second = DeadLetter.objects.exclude(pk=first.pk).get()
    assert second.status == DeadLetter.Status.AWAITING and second.outbox_message_id == first.retried_as_id


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_message_too_old_to_run_is_kept_as_expired(worker, redis_broker):
    old = flaky.message_with_options(args=("parcel-3",), max_age=60_000)
    redis_broker.enqueue(old.copy(message_timestamp=int(time.time() * 1000) - 3_600_000))

    dead = dead_letter_of("parcel-3")

    assert dead.reason == DeadLetter.Reason.EXPIRED and "max_age (60000 ms)" in dead.error
    assert RUNS == [], "AgeLimit skipped it"


@pytest.mark.django_db
def test_periodic_jobs_are_not_kept_the_scheduler_sends_them_again(stub_broker):
    def given_up(actor_name: str) -> MessageProxy:
        message = MessageProxy(dramatiq.Message("default", actor_name, (), {}, {}))
        message.fail()
        return message

    middleware = DeadLetterMiddleware()
    middleware.after_process_message(stub_broker, given_up("relay_outbox"), exception=RuntimeError("periodic"))
    middleware.after_process_message(stub_broker, given_up("test_dead_letter_task"), exception=RuntimeError("once"))

    assert list(DeadLetter.objects.values_list("actor_name", flat=True)) == ["test_dead_letter_task"]


def awaiting(n: int, *, actor_name: str = "test_dead_letter_task") -> list[DeadLetter]:
    return [
        DeadLetter.objects.create(
            message_id=f"msg-{actor_name}-{i}",
            actor_name=actor_name,
            queue_name="default",
            args=[f"parcel-{i}"],
            reason=DeadLetter.Reason.FAILED,
            error=f"RuntimeError: boom {i}",
        )
        for i in range(n)
    ]


@pytest.mark.django_db
def test_the_command_lists_retries_and_discards(stub_broker, django_capture_on_commit_callbacks):
    first, second, third = awaiting(3)
    gone = awaiting(1, actor_name="renamed_long_ago")[0]

    listing = StringIO()
    call_command("dead_letters", "list", stdout=listing)
    assert "4 dead letter(s) (awaiting)." in listing.getvalue()
    assert f"{first.pk:>6}" in listing.getvalue() and "RuntimeError: boom 0" in listing.getvalue()

    out = StringIO()
    call_command("dead_letters", "discard", str(first.pk), stdout=out)
    assert f"1 dead letter(s) discarded: {first.pk}." in out.getvalue()

    err = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("dead_letters", "retry", "--all", stdout=StringIO(), stderr=err)
    assert f"dead letter {gone.pk} skipped: no actor renamed_long_ago" in err.getvalue()
    statuses = dict(DeadLetter.objects.values_list("pk", "status"))
    assert statuses == {first.pk: "discarded", second.pk: "retried", third.pk: "retried", gone.pk: "awaiting"}
    assert stub_broker.queues["default"].qsize() == 2, "the retries went through the outbox to the broker"
    assert sorted(OutboxMessage.objects.values_list("args", flat=True)) == [["parcel-1"], ["parcel-2"]]

    with pytest.raises(CommandError, match="nothing was done"):
        call_command("dead_letters", "discard", str(first.pk), stdout=StringIO(), stderr=StringIO())
    listing = StringIO()
    call_command("dead_letters", "list", "--status", "discarded", stdout=listing)
    assert "1 dead letter(s) (discarded)." in listing.getvalue()


@pytest.fixture
def superuser_client(client, django_user_model):
    user = with_totp(django_user_model.objects.create_superuser(email="root@example.com", password="x" * 16))
    client.force_login(user)
    client.user = user
    return client


@pytest.mark.django_db
def test_superusers_see_dead_letters_with_their_error_and_retry_or_discard_them(
    superuser_client, stub_broker, django_capture_on_commit_callbacks
):
    retry_me, discard_me = awaiting(2)

    listing = superuser_client.get(CHANGELIST).content.decode()
    assert "RuntimeError: boom 0" in listing and "test_dead_letter_task" in listing
    detail = superuser_client.get(f"{CHANGELIST}{retry_me.pk}/change/").content.decode()
    assert "boom 0" in detail

    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(
            CHANGELIST, {"action": "retry", "_selected_action": [retry_me.pk]}, follow=True
        )
    assert "1 dead letter(s) queued again." in response.content.decode()
    response = superuser_client.post(
        CHANGELIST, {"action": "discard", "_selected_action": [discard_me.pk]}, follow=True
    )
    assert "1 dead letter(s) discarded." in response.content.decode()

    retry_me.refresh_from_db()
    discard_me.refresh_from_db()
    assert (retry_me.status, retry_me.decided_by) == (DeadLetter.Status.RETRIED, superuser_client.user)
    assert (discard_me.status, discard_me.decided_by) == (DeadLetter.Status.DISCARDED, superuser_client.user)
    assert stub_broker.queues["default"].qsize() == 1


@pytest.mark.django_db
def test_staff_who_are_not_superusers_do_not_see_dead_letters(client, django_user_model):
    staff = with_totp(django_user_model.objects.create_user(email="staff@example.com", password="x" * 16))
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    awaiting(1)

    response = client.get(CHANGELIST)

    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
def test_discarding_twice_changes_nothing_the_second_time():
    (dead,) = awaiting(1)
    assert dead_letters_discard(ids=[dead.pk]).done == [dead.pk]
    decided_at = DeadLetter.objects.get(pk=dead.pk).decided_at

    again = dead_letters_discard(ids=[dead.pk, 999_999])

    assert again.done == [] and again.skipped == {dead.pk: "already discarded", 999_999: "no such dead letter"}
    assert DeadLetter.objects.get(pk=dead.pk).decided_at == decided_at
