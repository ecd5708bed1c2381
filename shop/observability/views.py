import logging
from ipaddress import ip_address, ip_network

from django.conf import settings
from django.db import connection, transaction
from django.http import HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache

from shop.core.clients import client_address

from .exposition import metrics_response

logger = logging.getLogger(__name__)


@never_cache
def healthz(request):
    """Liveness plus the database: 200 when the shop can serve, 503 when it cannot."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        logger.exception("health check: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok"})


@transaction.non_atomic_requests  # each gauge's query on its own: one that fails does not abort the others
def metrics(request):
    """Prometheus metrics, only for the scrapers' networks (METRICS_ALLOWED_NETWORKS). The client's address
    comes from the shop's one rule (shop/core/clients.py): behind the proxy, the address the proxy saw."""
    client = ip_address(client_address(request))
    if not any(client in ip_network(net) for net in settings.METRICS_ALLOWED_NETWORKS):
        logger.warning("metrics: refused scrape from %s", client)
        return HttpResponseForbidden("Metrics are only served to the monitoring network.\n")
    return metrics_response()
