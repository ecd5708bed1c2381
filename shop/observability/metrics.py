"""Business health for Prometheus, read from PostgreSQL at scrape time.

A growing outbox backlog means the broker is unreachable or no relay runs; tasks long in flight
mean no worker consumes their queue; republished tasks mean the broker lost messages; queued
emails piling up mean workers or the SMTP server are down; failed emails need a
person (Django admin → Outgoing emails → "Send again"), and so do failed outbox rows and dead letters
(Django admin → Outbox messages, Dead letters). All show here even
when Redis, and with it Dramatiq's own metrics, is gone.
"""

import logging
from datetime import timedelta

from django.db import DatabaseError
from django.db.models import Count, Min, Q, Sum
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

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


class ShopHealthCollector:
    def describe(self):
        # Lets the registry learn the names without a query at start-up.
        for name, documentation in METRICS.items():
            yield GaugeMetricFamily(name, documentation)

    def collect(self):
        from shop.notifications.models import OutgoingEmail
        from shop.outbox.models import DeadLetter, OutboxMessage

        try:
            now = timezone.now()
            # Pending and failed rows in one pass over the pending index (failed rows are few).
            waiting = Q(failed_at__isnull=True)
            outbox = OutboxMessage.objects.filter(published_at__isnull=True).aggregate(
                pending=Count("pk", filter=waiting),
                oldest=Min("created_at", filter=waiting),
                failed=Count("pk", filter=~waiting),
            )
            in_flight = OutboxMessage.objects.filter(published_at__isnull=False, done_at__isnull=True).aggregate(
                count=Count("pk"), oldest=Min("published_at")
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
            "shop_outbox_in_flight": in_flight["count"],
            "shop_outbox_oldest_in_flight_seconds": _age(now, in_flight["oldest"]),
            "shop_outbox_republished_recent": republished["total"] or 0,
            "shop_emails_queued": emails["queued"],
            "shop_emails_oldest_queued_seconds": _age(now, emails["oldest"]),
            "shop_emails_failed": emails["failed"],
            "shop_dead_letters": dead_letters,
        }
        for name, documentation in METRICS.items():
            yield GaugeMetricFamily(name, documentation, value=values[name])


def _age(now, since) -> float:
    return (now - since).total_seconds() if since else 0.0
