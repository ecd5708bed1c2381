"""Business health for Prometheus, read from PostgreSQL at scrape time.

A growing outbox backlog means the broker is unreachable or no relay runs; queued
emails piling up mean workers or the SMTP server are down. Both show here even
when Redis, and with it Dramatiq's own metrics, is gone.
"""

import logging

from django.db import DatabaseError
from django.db.models import Count, Min, Q
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger(__name__)


class ShopHealthCollector:
    def collect(self):
        from shop.notifications.models import OutgoingEmail
        from shop.outbox.models import OutboxMessage

        try:
            outbox = OutboxMessage.objects.filter(published_at__isnull=True).aggregate(
                pending=Count("pk"), oldest=Min("created_at")
            )
            emails = OutgoingEmail.objects.aggregate(
                queued=Count("pk", filter=Q(status=OutgoingEmail.Status.QUEUED)),
                oldest=Min("created_at", filter=Q(status=OutgoingEmail.Status.QUEUED)),
            )
        except DatabaseError:
            logger.exception("metrics: could not read the outbox")
            return
        now = timezone.now()
        yield GaugeMetricFamily(
            "shop_outbox_pending", "Tasks recorded but not yet published to the broker", outbox["pending"]
        )
        yield GaugeMetricFamily(
            "shop_outbox_oldest_pending_seconds",
            "Age of the oldest unpublished task (0 when none)",
            (now - outbox["oldest"]).total_seconds() if outbox["oldest"] else 0,
        )
        yield GaugeMetricFamily("shop_emails_queued", "Emails stored but not yet delivered", emails["queued"])
        yield GaugeMetricFamily(
            "shop_emails_oldest_queued_seconds",
            "Age of the oldest undelivered email (0 when none)",
            (now - emails["oldest"]).total_seconds() if emails["oldest"] else 0,
        )
