"""Mollie's webhook: take the id, hand the work to the `payments` queue, answer at once."""

import logging
import re

from django.conf import settings
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from shop.http.throttle import throttle_hit
from shop.observability import instruments
from shop.observability.context import log_context_bind
from shop.observability.security import security_event

from .models import Payment
from .services.sync import payment_sync_enqueue

logger = logging.getLogger(__name__)

MOLLIE_PAYMENT_ID = re.compile(r"tr_[A-Za-z0-9]{1,64}")
RATE_WINDOW_SECONDS = 60


@csrf_exempt  # Mollie cannot send a CSRF token; the body carries only an id we look up ourselves
@require_POST
@transaction.non_atomic_requests
def mollie_webhook(request):
    """Mollie posts `id=tr_…` and nothing else we trust: the task fetches the payment to learn its state.

    Payment ids are printed on receipts, so anyone can post one: deliveries of an id while its sync
    waits in the queue add nothing, and past SHOP_MOLLIE_WEBHOOK_RATE a minute an id gets 429 (Mollie
    retries those later)."""
    mollie_id = request.POST.get("id", "")
    if not MOLLIE_PAYMENT_ID.fullmatch(mollie_id):
        security_event("mollie webhook refused", reason="malformed id", mollie_id=mollie_id[:80])
        instruments.mollie_webhooks.labels(outcome="malformed").inc()
        return HttpResponseBadRequest("Expected a form field id=tr_…\n")
    log_context_bind(mollie_id=mollie_id)
    payment_id = Payment.objects.filter(mollie_id=mollie_id).values_list("pk", flat=True).first()
    if payment_id is None:
        # Unknown ids get 200 (Mollie stops retrying) and change nothing.
        security_event("mollie webhook refused", reason="unknown payment id")
        instruments.mollie_webhooks.labels(outcome="unknown").inc()
        return HttpResponse(status=200)
    log_context_bind(payment_id=payment_id)
    if not _within_rate(mollie_id):  # the refusal is logged by the throttle, as a security event
        instruments.mollie_webhooks.labels(outcome="throttled").inc()
        response = HttpResponse("Too many deliveries for this payment; retry later.\n", status=429)
        response["Retry-After"] = str(RATE_WINDOW_SECONDS)
        return response
    if payment_sync_enqueue(payment_id=payment_id):
        instruments.mollie_webhooks.labels(outcome="queued").inc()
    else:
        logger.info("mollie webhook: %s already has a sync queued", mollie_id)
        instruments.mollie_webhooks.labels(outcome="coalesced").inc()
    return HttpResponse(status=200)


def _within_rate(mollie_id: str) -> bool:
    try:
        return throttle_hit(
            f"mollie-webhook:{mollie_id}", limit=settings.SHOP_MOLLIE_WEBHOOK_RATE, window_seconds=RATE_WINDOW_SECONDS
        )
    except Exception as exc:  # the cache (Redis) is down: fail open, the queue's coalescing still bounds the work
        logger.warning("mollie webhook: rate limit unavailable (%r); %s let through", exc, mollie_id)
        return True
