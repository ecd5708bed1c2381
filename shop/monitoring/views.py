import logging
from ipaddress import ip_address, ip_network

from django.conf import settings
from django.db import transaction
from django.http import HttpResponseForbidden, JsonResponse
from django.views.decorators.cache import never_cache

from shop.http.clients import client_address

from .exposition import metrics_response
from .health import UNAVAILABLE, readiness_check

logger = logging.getLogger(__name__)


# Neither probe runs in the request's transaction (ATOMIC_REQUESTS would connect to the database before the
# view runs, and a database that is down would then answer 500 instead of these views' own answers).
@never_cache
@transaction.non_atomic_requests
def healthz(request):
    """Liveness: the process answers requests. No database, no Redis: restart the process only if this fails."""
    return JsonResponse({"status": "ok"})


@never_cache
@transaction.non_atomic_requests
def readyz(request):
    """Readiness: 200 when this node can serve (degraded or not), 503 without its database or migrations."""
    readiness = readiness_check()
    return JsonResponse(readiness.as_dict(), status=503 if readiness.status == UNAVAILABLE else 200)


@transaction.non_atomic_requests  # each gauge's query on its own: one that fails does not abort the others
def metrics(request):
    """Prometheus metrics, only for the scrapers' networks (METRICS_ALLOWED_NETWORKS). The client's address
    comes from the shop's one rule (shop/http/clients.py): behind the proxy, the address the proxy saw."""
    client = ip_address(client_address(request))
    if not any(client in ip_network(net) for net in settings.METRICS_ALLOWED_NETWORKS):
        logger.warning("metrics: refused scrape from %s", client)
        return HttpResponseForbidden("Metrics are only served to the monitoring network.\n")
    return metrics_response()
