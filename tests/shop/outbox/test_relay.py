import logging
from datetime import timedelta

import dramatiq
import pytest
from django.utils import timezone

from shop.outbox.models import OutboxMessage
from shop.outbox.services import outbox_prune, outbox_relay
from tests.support.users import with_totp

CHANGELIST = "/django-admin/outbox/outboxmessage/"


@pytest.mark.django_db
def test_a_row_without_an_actor_ends_failed_once_and_does_not_block_the_ones_behind_it(stub_broker, caplog):
    orphan = OutboxMessage.objects.create(actor_name="renamed_long_ago", queue_name="emails", args=[1])
    good = OutboxMessage.objects.create(actor_name="reindex_product", queue_name="search", args=[7])

    with caplog.at_level(logging.ERROR, logger="shop.outbox.services"):
        assert outbox_relay() == 1
        assert outbox_relay() == 0, "a failed row is not tried again on every pass"

    orphan.refresh_from_db()
    good.refresh_from_db()
    assert orphan.published_at is None and orphan.failed_at is not None
    assert "renamed_long_ago" in orphan.last_error and orphan.attempts == 1
    assert not OutboxMessage.objects.pending().filter(pk=orphan.pk).exists()
    assert good.published_at is not None
    assert stub_broker.queues["search"].qsize() == 1
    assert [r.getMessage() for r in caplog.records] == [
        f"outbox: no actor renamed_long_ago for row {orphan.pk}; marked failed"
    ]


@pytest.fixture
def superuser_client(client, django_user_model):
    client.force_login(
        with_totp(django_user_model.objects.create_superuser(email="root@example.com", password="x" * 16))
    )
    return client


@pytest.mark.django_db
def test_staff_find_failed_rows_in_the_admin_and_retry_them_once_the_actor_is_back(
    superuser_client, stub_broker, django_capture_on_commit_callbacks
):
    orphan = OutboxMessage.objects.create(actor_name="renamed_long_ago", queue_name="emails", args=[1])
    outbox_relay()
    OutboxMessage.objects.create(actor_name="send_email", queue_name="emails", args=[2])  # pending, not failed

    failed_list = superuser_client.get(CHANGELIST, {"state": "failed"}).content.decode()
    assert f"{CHANGELIST}{orphan.pk}/change/" in failed_list and "1 outbox message" in failed_list

    retry = {"action": "retry_failed", "_selected_action": [orphan.pk]}
    response = superuser_client.post(CHANGELIST, retry, follow=True)
    assert f"Still no actor for row(s) {orphan.pk}: left failed." in response.content.decode()
    assert OutboxMessage.objects.get(pk=orphan.pk).failed_at is not None

    # A deployment brings the actor back.
    dramatiq.actor(lambda email_id: None, actor_name="renamed_long_ago", queue_name="emails", broker=stub_broker)
    with django_capture_on_commit_callbacks(execute=True):
        response = superuser_client.post(CHANGELIST, retry, follow=True)

    assert "1 failed row(s) queued again." in response.content.decode()
    orphan.refresh_from_db()
    assert orphan.failed_at is None and orphan.published_at is not None, "relayed right after the commit"
    assert stub_broker.queues["emails"].qsize() == 1


@pytest.mark.django_db
def test_pruning_keeps_pending_and_recent_rows():
    old = timezone.now() - timedelta(days=8)
    OutboxMessage.objects.create(actor_name="a", queue_name="q", published_at=old)
    recent = OutboxMessage.objects.create(actor_name="b", queue_name="q", published_at=timezone.now())
    pending = OutboxMessage.objects.create(actor_name="c", queue_name="q")

    assert outbox_prune() == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}
