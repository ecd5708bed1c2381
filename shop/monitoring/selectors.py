"""What monitoring reads from PostgreSQL at scrape time: one grouped query per fact.

Orders are never deleted and payments, refunds and chargebacks keep their rows, so the counts in final
states (orders placed in all, payments paid or failed, refunds refunded) only grow: Prometheus can take
their rate like a counter's, and they are right after any restart, whichever web process is asked.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Min, Q
from oscar.core.loading import get_model

from shop.communications.emails import ORDER_PLACED
from shop.observability.models import Heartbeat
from shop.orders import statuses
from shop.payments.models import Chargeback, Payment, Refund

Order = get_model("order", "Order")
OrderStatusChange = get_model("order", "OrderStatusChange")

# An order settled longer ago than this without a confirmation leaves the count: the alert has been
# firing for days by then, and the query stays on the recent rows of an indexed column.
UNCONFIRMED_LOOKBACK = timedelta(days=7)


def orders_by_status() -> dict[str, int]:
    return dict(Order._default_manager.values_list("status").annotate(count=Count("pk")).order_by())


def payments_by_method_and_status() -> dict[tuple[str, str], int]:
    rows = Payment.objects.values_list("method", "status").annotate(count=Count("pk")).order_by()
    return {(method, status): count for method, status, count in rows}


def refunds_by_status() -> dict[str, int]:
    return dict(Refund.objects.values_list("status").annotate(count=Count("pk")).order_by())


def chargebacks_by_state() -> dict[str, int]:
    return Chargeback.objects.aggregate(
        open=Count("pk", filter=Q(reversed_at__isnull=True)), reversed=Count("pk", filter=Q(reversed_at__isnull=False))
    )


@dataclass(frozen=True)
class Unconfirmed:
    count: int
    oldest: datetime | None  # when the longest-waiting of them was paid (or authorized)


def orders_settled_unconfirmed(*, now: datetime) -> Unconfirmed:
    """Orders paid or authorized (within UNCONFIRMED_LOOKBACK) that have no confirmation email yet: the
    email is stored with its ORDER_PLACED communication event, in one transaction, by the confirmation task.
    One that stays here means the task was lost or keeps failing (emails stored but not delivered show
    in the email backlog instead)."""
    found = (
        OrderStatusChange._default_manager.filter(
            new_status__in=(statuses.AUTHORIZED, statuses.PAID), date_created__gte=now - UNCONFIRMED_LOOKBACK
        )
        .exclude(order__communication_events__event_type__code=ORDER_PLACED)
        .aggregate(count=Count("order_id", distinct=True), oldest=Min("date_created"))
    )
    return Unconfirmed(count=found["count"], oldest=found["oldest"])


def heartbeat_at(name: str) -> datetime | None:
    return Heartbeat.objects.filter(name=name).values_list("beat_at", flat=True).first()
