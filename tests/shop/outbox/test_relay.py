from datetime import timedelta

import pytest
from django.utils import timezone

from shop.outbox.models import OutboxMessage
from shop.outbox.services import outbox_prune, outbox_relay


@pytest.mark.django_db
def test_a_row_without_an_actor_does_not_block_the_ones_behind_it(stub_broker):
    orphan = OutboxMessage.objects.create(actor_name="renamed_long_ago", queue_name="emails", args=[1])
    good = OutboxMessage.objects.create(actor_name="reindex_product", queue_name="search", args=[7])

    assert outbox_relay() == 1

    orphan.refresh_from_db()
    good.refresh_from_db()
    assert orphan.published_at is None and "renamed_long_ago" in orphan.last_error
    assert good.published_at is not None
    assert stub_broker.queues["search"].qsize() == 1


@pytest.mark.django_db
def test_pruning_keeps_pending_and_recent_rows():
    old = timezone.now() - timedelta(days=8)
    OutboxMessage.objects.create(actor_name="a", queue_name="q", published_at=old)
    recent = OutboxMessage.objects.create(actor_name="b", queue_name="q", published_at=timezone.now())
    pending = OutboxMessage.objects.create(actor_name="c", queue_name="q")

    assert outbox_prune() == 1
    assert set(OutboxMessage.objects.values_list("pk", flat=True)) == {recent.pk, pending.pk}
