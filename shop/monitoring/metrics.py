"""Health and business state for Prometheus, read from PostgreSQL at scrape time (the web's `/metrics`).

A growing outbox backlog means the broker is unreachable or no relay runs; tasks long in flight
mean no worker consumes their queue; republished tasks mean the broker lost messages; queued
emails piling up mean workers or the SMTP server are down; failed emails need a
person (Django admin → Outgoing emails → "Send again"), and so do failed outbox rows and dead letters
(Django admin → Outbox messages, Dead letters). All show here even when Redis, and with it
Dramatiq's own metrics, is gone. So do the scheduler's heartbeat, paid orders still without their
confirmation, and the counts of orders, payments, refunds and chargebacks (selectors.py says why
those are read here rather than counted in memory).
"""

import logging
from datetime import timedelta

from django.db import DatabaseError
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from shop.notifications.models import OutgoingEmail
from shop.observability.services import SCHEDULER
from shop.outbox.models import DeadLetter, OutboxMessage

from . import selectors

logger = logging.getLogger(__name__)


METRICS = {
    "shop_outbox_pending": "Tasks recorded but not yet published to the broker",
    "shop_outbox_failed": "Tasks the relay cannot publish (no such actor); staff retry them once the actor is back",
    "shop_outbox_oldest_pending_seconds": "Age of the oldest unpublished task (0 when none)",
    "shop_outbox_in_flight": "Tasks published to the broker that have not run yet",
    "shop_outbox_oldest_in_flight_seconds": "Time since the oldest not-yet-run task was published (0 when none)",
    "shop_outbox_republished_recent": "Tasks the broker lost and the sweep published again, among the last day's",
    "shop_emails_queued": "Emails stored but not yet delivered",
    "shop_emails_oldest_queued_seconds": "Age of the oldest undelivered email (0 when none)",
    "shop_emails_failed": "Emails given up (retries exhausted or task expired); staff can send them again",
    "shop_dead_letters": "Tasks Dramatiq gave up on, awaiting a decision (admin or manage.py dead_letters)",
}
QUEUE_WAIT = (
    "shop_queue_oldest_in_flight_seconds",
    "Per queue: time since its oldest published, not-yet-run task was published (no worker consumes it?)",
)


class ShopHealthCollector:
    def describe(self):
        # Lets the registry learn the names without a query at start-up.
        for name, documentation in METRICS.items():
            yield GaugeMetricFamily(name, documentation)
        yield GaugeMetricFamily(*QUEUE_WAIT, labels=["queue"])

    def collect(self):
        try:
            now = timezone.now()
            # Pending and failed rows in one pass over the pending index (failed rows are few).
            waiting = Q(failed_at__isnull=True)
            outbox = OutboxMessage.objects.filter(published_at__isnull=True).aggregate(
                pending=Count("pk", filter=waiting),
                oldest=Min("created_at", filter=waiting),
                failed=Count("pk", filter=~waiting),
            )
            in_flight = list(
                OutboxMessage.objects.filter(published_at__isnull=False, done_at__isnull=True)
                .values_list("queue_name")
                .annotate(count=Count("pk"), oldest=Min("published_at"))
                .order_by()
            )
            republished = OutboxMessage.objects.filter(
                created_at__gte=now - timedelta(days=1), republished__gt=0
            ).aggregate(total=Sum("republished"))
            emails = OutgoingEmail.objects.aggregate(
                queued=Count("pk", filter=Q(status=OutgoingEmail.Status.QUEUED)),
                oldest=Min("created_at", filter=Q(status=OutgoingEmail.Status.QUEUED)),
                failed=Count("pk", filter=Q(status=OutgoingEmail.Status.FAILED)),
            )
            dead_letters = DeadLetter.objects.filter(status=DeadLetter.Status.AWAITING).count()
        except DatabaseError:
            logger.exception("metrics: could not read the outbox")
            return
        values = {
            "shop_outbox_pending": outbox["pending"],
            "shop_outbox_failed": outbox["failed"],
            "shop_outbox_oldest_pending_seconds": _age(now, outbox["oldest"]),
            "shop_outbox_in_flight": sum(count for _, count, _ in in_flight),
            "shop_outbox_oldest_in_flight_seconds": _age(now, min((oldest for *_, oldest in in_flight), default=None)),
            "shop_outbox_republished_recent": republished["total"] or 0,
            "shop_emails_queued": emails["queued"],
            "shop_emails_oldest_queued_seconds": _age(now, emails["oldest"]),
            "shop_emails_failed": emails["failed"],
            "shop_dead_letters": dead_letters,
        }
        for name, documentation in METRICS.items():
            yield GaugeMetricFamily(name, documentation, value=values[name])
        per_queue = GaugeMetricFamily(*QUEUE_WAIT, labels=["queue"])
        for queue, _, oldest in in_flight:
            per_queue.add_metric([queue], _age(now, oldest))
        yield per_queue


BUSINESS = {
    "shop_orders": ("Orders by current status; their sum is every order ever placed", ["status"]),
    "shop_payments": ("Mollie payment attempts by method and current status", ["method", "status"]),
    "shop_refunds": ("Refunds by current status", ["status"]),
    "shop_chargebacks_recorded": ("Chargebacks by state: open (money held back) or reversed", ["state"]),
    "shop_paid_orders_unconfirmed": ("Orders paid or authorized that have no confirmation email yet", []),
    "shop_paid_orders_unconfirmed_oldest_seconds": (
        "How long the longest-waiting paid order has been without its confirmation email (0 when none)",
        [],
    ),
    "shop_scheduler_last_tick_timestamp_seconds": (
        "Unix time of the scheduler's last heartbeat, written while it runs the periodic jobs (0: never)",
        [],
    ),
}


class BusinessCollector:
    def describe(self):
        for name, (documentation, labels) in BUSINESS.items():
            yield GaugeMetricFamily(name, documentation, labels=labels)

    def collect(self):
        try:
            now = timezone.now()
            samples = {
                "shop_orders": {(status,): n for status, n in selectors.orders_by_status().items()},
                "shop_payments": selectors.payments_by_method_and_status(),
                "shop_refunds": {(status,): n for status, n in selectors.refunds_by_status().items()},
                "shop_chargebacks_recorded": {(state,): n for state, n in selectors.chargebacks_by_state().items()},
            }
            unconfirmed = selectors.orders_settled_unconfirmed(now=now)
            tick = selectors.heartbeat_at(SCHEDULER)
        except DatabaseError:
            logger.exception("metrics: could not read the orders and payments")
            return
        samples["shop_paid_orders_unconfirmed"] = {(): unconfirmed.count}
        samples["shop_paid_orders_unconfirmed_oldest_seconds"] = {(): _age(now, unconfirmed.oldest)}
        samples["shop_scheduler_last_tick_timestamp_seconds"] = {(): tick.timestamp() if tick else 0.0}
        for name, (documentation, labels) in BUSINESS.items():
            family = GaugeMetricFamily(name, documentation, labels=labels)
            for label_values, value in samples[name].items():
                family.add_metric(list(label_values), value)
            yield family


COLLECTORS = (ShopHealthCollector(), BusinessCollector())


def _age(now, since) -> float:
    return (now - since).total_seconds() if since else 0.0
