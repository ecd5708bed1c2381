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
        rows = list(OutboxMessage.objects.filter(published_at__isnull=True).order_by("pk"))
        if not rows:
            return ran
        for row in rows:
            OutboxMessage.objects.filter(pk=row.pk).update(published_at=timezone.now())
            broker.get_actor(row.actor_name).fn(*row.args, **row.kwargs)
            ran.append(row.actor_name)
    raise AssertionError(f"the outbox did not drain after {max_rounds} rounds: {ran[-10:]}")
