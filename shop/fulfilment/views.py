"""Carriers pushing tracking updates: authenticated per carrier, throttled, applied at once."""

import logging

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from shop.http.clients import client_address, client_key
from shop.http.throttle import throttle_hit
from shop.observability import instruments
from shop.observability.security import security_event

from .carriers import carrier_for
from .carriers.base import PushRejected, PushUnauthenticated
from .services import tracking_push_apply

logger = logging.getLogger(__name__)


@csrf_exempt  # carriers cannot send a CSRF token; each push is authenticated by the carrier's secret instead
@require_POST
@transaction.non_atomic_requests  # each parcel is applied in its own transaction, under its order's lock only
def carrier_push(request, carrier: str):
    """A carrier's tracking update. 200 once stored (a repeat changes nothing); 401 unauthenticated,
    400 unreadable, 404 unknown carrier, 429 too many, so the carrier retries only what is worth retrying."""
    try:
        adapter = carrier_for(carrier)
    except LookupError:
        return JsonResponse({"error": f"unknown carrier {carrier!r}"}, status=404)
    client = client_address(request)  # logged as is; counted by its /64 when IPv6 (client_key)
    key = f"push:{carrier}:{client_key(request)}"
    if not throttle_hit(key, limit=settings.SHOP_CARRIER_PUSH_RATE, window_seconds=60):  # logged by the throttle
        instruments.carrier_pushes.labels(carrier=carrier, outcome="throttled").inc()
        response = JsonResponse({"error": "too many pushes; retry later"}, status=429)
        response["Retry-After"] = "60"
        return response
    try:
        events = adapter.push_events(body=request.body, headers=request.headers)
    except PushUnauthenticated as exc:
        security_event("carrier push refused", carrier=carrier, ip=client, reason=str(exc))
        instruments.carrier_pushes.labels(carrier=carrier, outcome="unauthenticated").inc()
        return JsonResponse({"error": str(exc)}, status=401)
    except PushRejected as exc:
        logger.warning("%s push from %s rejected: %s", carrier, client, exc)
        instruments.carrier_pushes.labels(carrier=carrier, outcome="rejected").inc()
        return JsonResponse({"error": str(exc)}, status=400)
    stored = tracking_push_apply(carrier=carrier, events=events)
    logger.info("%s push: %s events, %s new", carrier, len(events), stored)
    instruments.carrier_pushes.labels(carrier=carrier, outcome="accepted").inc()
    return HttpResponse(status=200)
